"""Common-property names compare case-insensitively ([MS-CMRP], Object Properties: "A property
name is a case-insensitive, non-null Unicode string"), by the one rule csvbackup compares
names with: the simple uppercase of each UTF-16 unit. PropertyTable (Python) and the
simulated cluster's SET/VALIDATE_COMMON_PROPERTIES (C) must both follow it."""
import pytest

import csvbackup as cb
import filespec_oracle as oracle
import sim_cluster

VALUES = {"BackupInProgress": cb.Dword(1), "SharedVolumesRoot": "C:\\ClusterStorage",
          "Description": "described"}
SPELLINGS = {
    "BackupInProgress": ["BackupInProgress", "backupinprogress", "BACKUPINPROGRESS",
                         "BackupınProgress", "BackupİnProgress", "BackupInProgres",
                         "Backup InProgress"],
    "SharedVolumesRoot": ["SHAREDVOLUMESROOT", "ſharedVolumesRoot", "sharedvolumesrooT",
                          "\u0405haredVolumesRoot", "SharedVolumeRoot"],
    "Description": ["description", "deſcription", "Descrıptıon", "DESCRİPTION",
                    "Description\u00df", "Déscription"],
}
CASES = [(table_name, spelling) for table_name, spellings in SPELLINGS.items()
         for spelling in spellings]


def matches(spelling):
    """The simulator's property `spelling` names, by the oracle, or None."""
    hits = [n for n in VALUES
            if oracle.fold(oracle.units(n)) == oracle.fold(oracle.units(spelling))]
    return hits[0] if hits else None


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    with sim_cluster.open_sim(tmp_path_factory.mktemp("names")) as c:
        yield c


def test_cases_cover_both_answers():
    assert {matches(s) is None for _, s in CASES} == {True, False}


@pytest.mark.parametrize("table_name, spelling", CASES)
def test_both_layers_follow_the_rule(sim, table_name, spelling):
    want = matches(spelling)
    pl = cb.PropertyList({spelling: VALUES[table_name]})
    table = cb.CLUSTER_COMMON_PROPERTIES

    # Python: the property table
    assert (spelling in table) == (want is not None)
    if want is None:
        with pytest.raises(cb.UnknownPropertyError) as python_error:
            table.validate(pl)
        with pytest.raises(KeyError):
            table[spelling]
    else:
        table.validate(pl)
        assert table[spelling].name == want
        parsed = table.parse(pl)[want]
        assert parsed == (VALUES[want].value if isinstance(VALUES[want], cb.Value)
                          else VALUES[want])

    # C: the simulated cluster's VALIDATE_COMMON_PROPERTIES
    if want is None:
        with pytest.raises(cb.InvalidParameterError) as c_error:
            sim.validate_common_properties(pl)
        assert (c_error.value.winerror == python_error.value.winerror
                == cb.errors.ERROR_INVALID_PARAMETER)
    else:
        sim.validate_common_properties(pl)


def test_a_set_by_another_spelling_changes_the_property(sim):
    sim.set_common_properties({"deſcription": "set via a long s",
                               "backupinprogress": cb.Dword(1)})
    got = cb.CLUSTER_COMMON_PROPERTIES.parse(sim.get_common_properties())
    assert got["Description"] == "set via a long s" and got["BackupInProgress"] == 1
    sim.set_common_properties({"DESCRIPTION": "", "BACKUPINPROGRESS": cb.Dword(0)})
    got = cb.CLUSTER_COMMON_PROPERTIES.parse(sim.get_common_properties())
    assert got["Description"] == "" and got["BackupInProgress"] == 0


def test_a_table_refuses_two_spellings_of_one_name():
    with pytest.raises(ValueError, match="twice"):
        cb.PropertyTable([cb.PropertyItem("Size", cb.Format.DWORD),
                          cb.PropertyItem("SIZE", cb.Format.DWORD)])


def test_parse_reads_the_first_spelling_in_the_list():
    table = cb.PropertyTable([cb.PropertyItem("Size", cb.Format.DWORD)])
    pl = cb.PropertyList({"SIZE": cb.Dword(1), "size": cb.Dword(2)})
    assert table.parse(pl) == {"Size": 1}
    with pytest.raises(cb.UnknownPropertyError):
        table.parse(cb.PropertyList({"Sizes": cb.Dword(1)}), allow_unknown=False)
    assert table.parse(cb.PropertyList({"sIZE": cb.Dword(3)}), allow_unknown=False) == {"Size": 3}
