"""CLUS_SHARED_VOLUME_BACKUP_MODE and the control codes: the reference notes' numbers, every rule
in both directions, against a plain-Python oracle (tests/backup_mode_oracle.py)."""
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backup_mode_oracle as oracle
import csvbackup as cb
from csvbackup import controls

GUID_PATH = "\\\\?\\Volume{00000000-0000-0000-0000-000000000000}\\"
Mode = cb.SharedVolumeBackupMode


# === the structure ===

def test_reference_example_is_528_bytes_exactly():
    # docs/reference/cluster-formats.md section 8: {InProgress, 30 s, \\?\Volume{0...0}\} = 01000000
    # 1e000000 + name
    data = Mode(cb.BackupState.IN_PROGRESS, 30, GUID_PATH).to_bytes()
    assert len(data) == Mode.SIZE == 528
    assert data[:8] == bytes.fromhex("010000001e000000")
    assert data[8:8 + 98] == GUID_PATH.encode("utf-16-le") and len(GUID_PATH) == 49
    assert data[8 + 98:] == bytes(528 - 106)  # the NUL and the zero fill


def test_state_values_are_windows():
    assert (cb.BackupState.NONE, cb.BackupState.IN_PROGRESS) == (0, 1)


@pytest.mark.parametrize("name", ["Volume1", "SQL Data", "Данные", "卷1", "a" * 259,
                                  GUID_PATH, GUID_PATH.lower(), GUID_PATH.replace("0", "F"),
                                  "\U0001d4b3" * 129])
def test_valid_modes_round_trip(name):
    for state, delay in ((0, 0), (1, 1), (1, 600), (1, 0xFFFFFFFF)):
        m = Mode(state, delay, name)
        data = m.to_bytes()
        assert data == oracle.encode(state, delay, name)
        assert Mode.from_buffer(data) == m and type(Mode.from_buffer(data).state) is cb.BackupState


@pytest.mark.parametrize("state, delay, name, rule", [
    (0, 5, "Volume1", "VolumeBackupNone requires DelayTimerInSecs 0"),
    (1, 0, "Volume1", "VolumeBackupInProgress requires DelayTimerInSecs > 0"),
    (2, 1, "Volume1", "BackupState is neither"),
    (1, 1, "", "VolumeName is empty"),
    (1, 1, "Vol\0ume1", "NUL at index 3"),
    (1, 1, "a" * 260, "260 WCHARs"),
    (1, 1, "\U0001d4b3" * 130, "260 WCHARs"),
    (1, 1, "\\\\?\\Volume{00000000-0000-0000-0000-000000000000}", "volume GUID path"),
    (1, 1, "\\\\?\\Volume{0000000-00000-0000-0000-000000000000}\\", "volume GUID path"),
    (1, 1, "\\\\?\\Volume{0000000g-0000-0000-0000-000000000000}\\", "volume GUID path"),
    (1, 1, "\\\\?\\C:\\ClusterStorage\\Volume1\\", "volume GUID path"),
    (1, 1, "C:\\ClusterStorage\\Volume1", "folder name"),
    (1, 1, "Volume1.", "folder name"),
    (1, 1, "Volume1 ", "folder name"),
    (1, 1, "Vol\tume", "folder name"),
    (1, 1, "Vol/ume", "folder name"),
])
def test_each_rule_is_named(state, delay, name, rule):
    with pytest.raises(cb.InvalidParameterError) as e:
        Mode(state, delay, name)
    assert e.value.winerror == 87 and rule in str(e.value)
    with pytest.raises(oracle.Invalid):
        oracle.check(state, delay, name)


def test_wrong_types():
    for args in ((1.0, 1, "V"), (1, "1", "V"), (1, 1, b"V"), (True, 1, "V")):
        with pytest.raises(TypeError):
            Mode(*args)
    with pytest.raises(cb.InvalidParameterError):
        Mode(1, 2**32, "V")
    with pytest.raises(cb.InvalidParameterError):
        Mode(-1, 1, "V")


def test_pack_into_any_writable_buffer_at_an_offset():
    m = Mode(1, 600, "Volume1")
    for buf in (bytearray(600), np.zeros(600, np.uint8), memoryview(bytearray(600))):
        assert m.pack_into(buf, 40) == 528
        assert bytes(buf[40:568]) == m.to_bytes() and bytes(buf[:40]) == bytes(40)
        assert Mode.from_buffer(buf, 40) == m


def test_pack_into_too_small_writes_nothing():
    buf = bytearray(b"\xAA" * 600)
    with pytest.raises(cb.MoreDataError) as e:
        Mode(1, 600, "Volume1").pack_into(buf, 100)
    assert e.value.required == 628 and e.value.winerror == 234
    assert buf == bytearray(b"\xAA" * 600)
    with pytest.raises(cb.InvalidParameterError):
        Mode(1, 600, "Volume1").pack_into(buf, -1)
    with pytest.raises(BufferError):
        Mode(1, 600, "Volume1").pack_into(b"\0" * 600)  # read-only


def test_invalid_mode_writes_nothing():
    buf = bytearray(b"\xAA" * 528)
    with pytest.raises(cb.InvalidParameterError):
        cb._csvcore.pack_backup_mode(1, 0, "Volume1", buf, 0)
    assert buf == bytearray(b"\xAA" * 528)


# === decoding what a peer sent ===

def received(state=1, delay=30, name=GUID_PATH, tail=b""):
    raw = name.encode("utf-16-le", "surrogatepass") + b"\0\0" + tail
    return struct.pack("<II", state, delay) + raw + b"\0" * (520 - len(raw))


@pytest.mark.parametrize("data, offset, rule", [
    (received(state=2), 0, "BackupState is neither"),
    (received(state=0, delay=30), 4, "requires DelayTimerInSecs 0"),
    (received(state=1, delay=0), 4, "DelayTimerInSecs > 0"),
    (received(name=""), 8, "VolumeName is empty"),
    (received(name="Vol:1"), 14, "folder name"),
    (struct.pack("<II", 1, 30) + "a".encode("utf-16-le") * 260, 526, "no NUL within"),
    (received()[:527], 527, "shorter than the 528 bytes"),
    (b"", 0, "shorter than the 528 bytes"),
])
def test_received_structures_break_named_rules(data, offset, rule):
    with pytest.raises(cb.InvalidParameterError) as e:
        Mode.from_buffer(data)
    assert rule in str(e.value) and f"at byte {offset}" in str(e.value), str(e.value)


def test_bytes_after_the_name_are_ignored_when_read():
    assert Mode.from_buffer(received(tail=b"\x01\x02garbage")).volume_name == GUID_PATH


def test_offset_outside_the_buffer():
    # past the C ssize_t too: an InvalidParameterError naming the offset, not an OverflowError
    for offset in (-1, 529, 2**63, -2**63 - 1, 2**64):
        with pytest.raises(cb.InvalidParameterError, match=f"offset {offset} is outside"):
            Mode.from_buffer(received(), offset)


def test_offset_is_any_integer_but_a_bool():
    data = received()
    assert Mode.from_buffer(data, np.int64(0)) == Mode.from_buffer(data, 0)
    for offset in (True, 0.0, "0", None):
        with pytest.raises(cb.InvalidParameterError, match="is not an int"):
            Mode.from_buffer(data, offset)


names = st.one_of(
    st.text(max_size=300),
    st.sampled_from([GUID_PATH, GUID_PATH.upper(), GUID_PATH[:-1], "Volume1", "a" * 259,
                     "a" * 260, "Vol.", " V", "\\x"]),
    st.builds(lambda h: "\\\\?\\Volume{" + h + "}\\",
              st.text("0123456789abcdefABCDEF-xg", min_size=30, max_size=40)),
)


@given(st.integers(0, 3), st.one_of(st.integers(0, 3), st.integers(0, 2**32 - 1)), names)
def test_construction_matches_the_oracle(state, delay, name):
    try:
        expected = oracle.encode(state, delay, name)
    except oracle.Invalid:
        with pytest.raises(cb.InvalidParameterError):
            Mode(state, delay, name)
    else:
        assert Mode(state, delay, name).to_bytes() == expected


@pytest.mark.slow
@settings(max_examples=3000, deadline=None)
@given(st.binary(min_size=0, max_size=600), st.integers(0, 527), st.binary(max_size=8))
def test_fuzzed_buffers_decode_like_the_oracle(noise, at, patch):
    """Mutants of a valid structure (bytes patched in, truncated or extended) decode exactly
    when the oracle says they are valid, and raise InvalidParameterError otherwise."""
    data = bytearray(received())
    data[at:at + len(patch)] = patch
    data = bytes(data[:528 + len(noise) - 300]) if len(noise) < 300 else bytes(data) + noise
    try:
        expected = oracle.decode(data)
    except (oracle.Invalid, UnicodeDecodeError):
        with pytest.raises(cb.InvalidParameterError):
            Mode.from_buffer(data)
    else:
        got = Mode.from_buffer(data)
        assert (got.state, got.delay_timer_secs, got.volume_name) == expected


# === control codes ===

# docs/reference/cluster-formats.md section 2.2 (values from the SDK, cross-checked with Samba's
# clusapi.idl) and 2.3
REFERENCE_CODES = {
    "CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE": 0x0140029A,
    "CLUSCTL_RESOURCE_STORAGE_GET_SHARED_VOLUME_INFO": 0x01000225,
    "CLUSCTL_RESOURCE_TYPE_STORAGE_IS_CSV_FILE": 0x01000229,
    "CLUSCTL_RESOURCE_ENABLE_SHARED_VOLUME_DIRECTIO": 0x0140028A,
    "CLUSCTL_RESOURCE_DISABLE_SHARED_VOLUME_DIRECTIO": 0x0140028E,
    "CLUSCTL_CLUSTER_GET_SHARED_VOLUME_ID": 0x07000291,
    "CLUSCTL_RESOURCE_SET_CSV_MAINTENANCE_MODE": 0x01400296,
    "CLUSCTL_RESOURCE_STORAGE_GET_SHARED_VOLUME_PARTITION_NAMES": 0x0100029D,
    "CLUSCTL_RESOURCE_STORAGE_GET_SHARED_VOLUME_STATES": 0x014002A2,
    "CLUSCTL_RESOURCE_STORAGE_IS_SHARED_VOLUME": 0x010002A5,
    "CLUSCTL_RESOURCE_STORAGE_RENAME_SHARED_VOLUME": 16788950,
    "CLUSCTL_RESOURCE_STORAGE_RENAME_SHARED_VOLUME_GUID": 16788954,
}
PROPERTY_BASES = {"ENUM_COMMON_PROPERTIES": 0x51, "GET_RO_COMMON_PROPERTIES": 0x55,
                  "GET_COMMON_PROPERTIES": 0x59, "SET_COMMON_PROPERTIES": 0x0040005E,
                  "VALIDATE_COMMON_PROPERTIES": 0x61, "GET_COMMON_PROPERTY_FMTS": 0x65,
                  "ENUM_PRIVATE_PROPERTIES": 0x79, "GET_RO_PRIVATE_PROPERTIES": 0x7D,
                  "GET_PRIVATE_PROPERTIES": 0x81, "SET_PRIVATE_PROPERTIES": 0x00400086,
                  "VALIDATE_PRIVATE_PROPERTIES": 0x89, "GET_PRIVATE_PROPERTY_FMTS": 0x8D}
for obj, number in (("RESOURCE", 1), ("RESOURCE_TYPE", 2), ("GROUP", 3), ("NODE", 4),
                    ("CLUSTER", 7)):
    for base, value in PROPERTY_BASES.items():
        REFERENCE_CODES[f"CLUSCTL_{obj}_{base}"] = number << 24 | value


def test_every_reference_code_is_defined_with_its_value():
    assert len(REFERENCE_CODES) == 72
    for name, value in REFERENCE_CODES.items():
        assert getattr(controls, name) == value, name
    assert {f"CLUSCTL_{m.name}" for m in controls.ClusCtl} == set(REFERENCE_CODES)
    assert controls.CLUSCTL_CLUSTER_SET_COMMON_PROPERTIES == 0x0740005E


def test_decode_splits_the_fields():
    f = controls.decode(0x0140029A)
    assert f == (controls.ClusterObject.RESOURCE, 166, controls.Access.WRITE, True, False,
                 False, False)
    assert controls.decode(0x014002A2).access is controls.Access.WRITE  # "GET" yet WRITE
    assert controls.decode(0x01000229).object is controls.ClusterObject.RESOURCE
    assert controls.decode(0x00B00001)[3:] == (False, True, True, True)
    assert controls.decode(0x00000003).access == 3  # undefined access values stay ints
    assert controls.decode(0x63000000).object == 0x63  # unknown objects stay ints
    for bad in (-1, 2**32, "1"):
        with pytest.raises(cb.InvalidParameterError):
            controls.decode(bad)


@given(st.integers(0, 2**32 - 1))
def test_decode_recomposes(code):
    o, f, a, m, i, u, g = controls.decode(code)
    assert int(o) << 24 | g << 23 | m << 22 | u << 21 | i << 20 | f << 2 | int(a) == code


def test_not_in_mingw_names_the_codes_mingw_lacks():
    assert "CLUSCTL_RESOURCE_STORAGE_GET_SHARED_VOLUME_STATES" in controls.NOT_IN_MINGW
    assert "CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE" not in controls.NOT_IN_MINGW


def test_from_buffer_takes_strided_buffers():
    mode = Mode(cb.BackupState.IN_PROGRESS, 600, "Volume1")
    raw = np.zeros(2 * len(mode.to_bytes()), np.uint8)
    raw[::2] = np.frombuffer(mode.to_bytes(), np.uint8)
    assert Mode.from_buffer(memoryview(raw[::2])) == mode
    assert Mode.from_buffer(raw[::2]) == mode
    assert Mode.from_buffer(memoryview(raw).cast("B")[::2], 0) == mode
