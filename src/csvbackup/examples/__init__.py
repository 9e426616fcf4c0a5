"""Example writer metadata for ``csvbackup demo`` (see csvbackup.example_host): the SQL Server
writer's document of a real host with its folders moved onto the demo's CSVs, and a
Hyper-V-style document made up for the demo. Each file's header says which it is."""
