"""Property tables (RESUTIL_PROPERTY_ITEM in Python): validate, defaults, parse, with the
Win32 codes of docs/reference/cluster-formats.md section 5.2, over the real cluster vector and
hand-made lists."""

import pytest

import csvbackup as cb
import tree

CLUSTER = (tree.DATA / "samba_cluster_props.bin").read_bytes()
TABLE = cb.PropertyTable([
    cb.PropertyItem("Count", cb.Format.DWORD, default=3, minimum=1, maximum=10),
    cb.PropertyItem("Offset", cb.Format.DWORD, minimum=-5, maximum=5, signed=True),
    cb.PropertyItem("Name", cb.Format.SZ, default="x"),
    cb.PropertyItem("Path", cb.Format.EXPAND_SZ),
    cb.PropertyItem("Id", cb.Format.ULARGE_INTEGER, read_only=True),
    cb.PropertyItem("Must", cb.Format.DWORD, required=True),
])


def test_backup_in_progress_is_as_documented():
    assert cb.CLUSTER_CSA_VSS_STATE == "BackupInProgress"
    item = cb.BACKUP_IN_PROGRESS
    assert (item.name, item.format, item.default, item.minimum, item.maximum, item.read_only) \
        == ("BackupInProgress", cb.Format.DWORD, cb.Dword(0), 0, 1, False)
    assert cb.CLUSTER_COMMON_PROPERTIES["BackupInProgress"] is item


def test_common_properties_cover_the_real_cluster_vector():
    pl = cb.PropertyList.from_buffer(CLUSTER)
    for name in pl:
        assert name in cb.CLUSTER_COMMON_PROPERTIES
    parsed = cb.CLUSTER_COMMON_PROPERTIES.parse(CLUSTER)
    assert parsed["SharedVolumesRoot"] == "C:\\ClusterStorage"
    assert parsed["WitnessDynamicWeight"] == 1 and parsed["BackupInProgress"] == 0
    cb.CLUSTER_COMMON_PROPERTIES.validate(cb.PropertyList({"BackupInProgress": 1}))


@pytest.mark.parametrize("props, exc, code", [
    ({"BackupInProgress": 2}, cb.PropertyValueError, 13),
    ({"BackupInProgress": "1"}, cb.PropertyTypeMismatchError, 5895),
    ({"BackupInProgress": cb.Long(1)}, cb.PropertyTypeMismatchError, 5895),
    ({"NoSuchProperty": 1}, cb.UnknownPropertyError, 87),
    ({"FixQuorum": 1}, cb.ReadOnlyPropertyError, 5089),
])
def test_set_errors_carry_win32_codes(props, exc, code):
    with pytest.raises(exc) as e:
        cb.CLUSTER_COMMON_PROPERTIES.validate(cb.PropertyList(props))
    assert e.value.winerror == code
    assert e.value.property == next(iter(props))
    assert next(iter(props)) in str(e.value)


def test_validate_takes_bytes_and_allows_unknown_when_asked():
    data = cb.PropertyList({"Count": 4, "Other": 1}).to_bytes()
    with pytest.raises(cb.UnknownPropertyError):
        TABLE.validate(data)
    TABLE.validate(data, allow_unknown=True)
    with pytest.raises(cb.InvalidDataError):
        TABLE.validate(data[:-9])


def test_signed_ranges():
    TABLE.validate(cb.PropertyList({"Offset": 0xFFFFFFFB}))  # -5 as a signed DWORD
    with pytest.raises(cb.PropertyValueError, match="-6"):
        TABLE.validate(cb.PropertyList({"Offset": 0xFFFFFFFA}))
    assert TABLE.parse(cb.PropertyList({"Offset": 0xFFFFFFFF, "Must": 1}))["Offset"] == -1


def test_expand_sz_may_carry_its_expansion():
    TABLE.validate(cb.PropertyList({"Path": (cb.ExpandSz("%a%"), cb.ExpandedSz("b"))}))
    with pytest.raises(cb.PropertyTypeMismatchError):
        TABLE.validate(cb.PropertyList({"Name": (cb.Sz("a"), cb.Sz("b"))}))


def test_defaults_and_parse():
    assert TABLE.defaults() == cb.PropertyList({"Count": 3, "Name": "x"})
    parsed = TABLE.parse(cb.PropertyList({"Must": 7, "Id": cb.ULargeInteger(2**40)}).to_bytes())
    assert parsed == {"Count": 3, "Offset": None, "Name": "x", "Path": None, "Id": 2**40,
                      "Must": 7}
    with pytest.raises(cb.PropertyNotFoundError) as e:
        TABLE.parse(cb.PropertyList({"Count": 3}))
    assert e.value.winerror == 1168 and e.value.property == "Must"
    with pytest.raises(cb.PropertyValueError):
        TABLE.parse(cb.PropertyList({"Count": 11, "Must": 1}))
    with pytest.raises(cb.UnknownPropertyError):
        TABLE.parse(cb.PropertyList({"Must": 1, "X": 1}), allow_unknown=False)


def test_table_items_are_checked():
    with pytest.raises(cb.PropertyValueError):
        cb.PropertyItem("A", cb.Format.DWORD, default=5, maximum=4)
    with pytest.raises(cb.PropertyTypeMismatchError):
        cb.PropertyItem("A", cb.Format.DWORD, default="text")
    with pytest.raises(ValueError):
        cb.PropertyTable([cb.PropertyItem("A", cb.Format.DWORD)] * 2)
