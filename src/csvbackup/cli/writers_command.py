"""``csvbackup writers WMD...``: what writer metadata says. Each writer's schema and the backup
types it takes as requested (the others become FULL for its data), its components, every file
set with its mask decoded, its excludes, and a warning for each file set the matcher would
refuse (the plan would stop on it)."""
from ..filespec import rejected_file_sets
from ..vss import BackupSchema, FileSpecBackupType, flag_names, supported_backup_types
from ..wmd import load_writers
from .arguments import add_command, name_value
from .output import Output

__all__ = ["add_parsers", "writer_dict"]


def add_parsers(sub):
    p = add_command(
        sub, "writers", "what writer metadata says: schemas, components, file sets",
        description=__doc__, func=cmd_writers,
        examples=["csvbackup writers sqlserverwriter.wmd.xml",
                  "csvbackup writers metadata/ --summary",
                  "csvbackup writers vshadow-wm2.txt --json"],
        notes="A WMD is a Writer Metadata Document (.xml), a vshadow -wm2 listing (.txt), or a "
              "folder of them.")
    p.add_argument("paths", nargs="+", metavar="WMD")
    p.add_argument("--summary", action="store_true",
                   help="writers and components only, not every file set")
    p.add_argument("--env", action="append", type=name_value, default=[], metavar="NAME=VALUE",
                   help="a %%NAME%% for the paths' check (default: a standard C: install)")
    p.add_argument("--json", action="store_true", help="print the writers as JSON")


def _file_set(fs, component=None):
    return {"component": component, "role": fs.role.name, "path": fs.path,
            "filespec": fs.filespec, "recursive": fs.recursive,
            "alternate_path": fs.alternate_path, "mask": fs.mask,
            "mask_names": flag_names(fs.mask, FileSpecBackupType) if fs.role.is_include else None}


def writer_dict(wm):
    """One writer's metadata as JSON types (the ``writers`` command's ``--json`` item)."""
    components = []
    for c in wm.components:
        where = c.caption or c.name  # Hyper-V names components by GUID, captions them by VM
        components.append({"logical_path": c.logical_path, "name": c.name, "type": c.kind.name,
                           "caption": c.caption, "selectable": c.selectable,
                           "selectable_for_restore": c.selectable_for_restore,
                           "file_sets": [_file_set(f, where) for f in c.files]})
    return {"name": wm.friendly_name, "writer_id": wm.writer_id,
            "instance_id": wm.instance_id, "instance_name": wm.instance_name,
            "usage": wm.usage.name, "data_source": wm.data_source.name,
            "backup_schema": int(wm.backup_schema),
            "backup_schema_names": flag_names(wm.backup_schema, BackupSchema),
            "backup_types": [t.name for t in supported_backup_types(wm.backup_schema)],
            "components": components,
            "excludes": [_file_set(f) for f in wm.excludes],
            "excludes_from_snapshot": [_file_set(f) for f in wm.excludes_from_snapshot]}


def cmd_writers(args, out):
    output = Output(out, json_mode=args.json)
    writers = load_writers(args.paths)
    env = dict(args.env)
    result, warnings = [], []
    for wm in writers:
        w = writer_dict(wm)
        result.append(w)
        warnings += [f"{wm.friendly_name}: {e}" for _, e in rejected_file_sets(wm, env=env)]
        if not wm.recursive_known:
            warnings.append(f"{wm.friendly_name}: the listing does not say which file sets are "
                            "recursive (vshadow text); each is taken as not recursive")
        _show_writer(output, w, summary=args.summary)
    for text in warnings:
        output.line(f"warning: {text}")
    output.json({"writers": result, "warnings": warnings})
    return 0


def _show_writer(output, w, *, summary):
    instance = f", instance {w['instance_name']!r}" if w["instance_name"] else ""
    output.line(f"{w['name']}  {{{w['writer_id'].strip('{}')}}}{instance}")
    output.line(f"  usage {w['usage']}, data source {w['data_source']}; backup schema "
                f"0x{w['backup_schema']:X} ({w['backup_schema_names']})")
    output.line(f"  takes {', '.join(w['backup_types'])} as requested; any other type "
                "backs its data up as FULL")
    output.table(None, ["component", "type", "caption", "selectable", "file sets"],
                 [[f"{c['logical_path']}\\{c['name']}" if c["logical_path"] else c["name"],
                   c["type"], c["caption"], "yes" if c["selectable"] else "no",
                   len(c["file_sets"])] for c in w["components"]], right=["file sets"])
    if not summary:
        sets = [f for c in w["components"] for f in c["file_sets"]]
        sets += w["excludes"] + w["excludes_from_snapshot"]
        output.table(None, ["component", "role", "path", "filespec", "recursive", "mask"],
                     [[f["component"] or "", f["role"], f["path"]
                       + (f" (read from {f['alternate_path']})" if f["alternate_path"] else ""),
                       f["filespec"], "yes" if f["recursive"] else "no",
                       f["mask_names"] or "-"] for f in sets])
    else:
        output.line(f"  excludes: {len(w['excludes'])}, excludes from snapshot: "
                    f"{len(w['excludes_from_snapshot'])}")
    output.line()
