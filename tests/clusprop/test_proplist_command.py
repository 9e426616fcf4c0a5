"""csvbackup proplist decode|encode: both real server lists decoded entry by entry (every byte
accounted for), encode | decode round trips for every format, decode --json | encode
--from-json byte for byte, and bad input as one line with exit status 2."""
import datetime as dt
import json
import struct
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import csvbackup as cb
import tree
from cli_run import bad, run, run_json
from clusprop_strategies import property_lists, to_property_list
from csvbackup.cli.proplist_command import decoded
from csvbackup.clusprop.dump import describe, from_json

REAL = [tree.DATA / "samba_cluster_props.bin", tree.DATA / "samba_node_props.bin"]
SD = (struct.pack("<BBHIIII", 1, 0, 0x8004, 20, 32, 0, 44)
      + struct.pack("<BB6sI", 1, 1, b"\0\0\0\0\0\x05", 18)
      + struct.pack("<BB6sI", 1, 1, b"\0\0\0\0\0\x05", 18)
      + struct.pack("<BBHHH", 2, 0, 8, 0, 0))






def encoded(capsys, *argv):
    """The bytes `proplist encode ARGV` writes (through --json's hex)."""
    return bytes.fromhex(run_json(capsys, "proplist", "encode", *argv)["hex"])


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_decode_real_server_lists(capsys, path):
    data = path.read_bytes()
    want = cb.PropertyList.from_buffer(data)
    doc = run_json(capsys, "proplist", "decode", path, "--hex")
    assert doc["kind"] == "property_list" and doc["size"] == len(data)
    assert [p["name"] for p in doc["properties"]] == list(want)
    for p in doc["properties"]:
        values = want.values_of(p["name"])
        assert [v["syntax"] for v in p["values"]] == [v.syntax for v in values]
        for v, w in zip(p["values"], values, strict=True):
            entry = bytes.fromhex(v["hex"])
            assert len(entry) == v["size"] and data[v["offset"]:v["offset"] + v["size"]] == entry
            assert struct.unpack_from("<I", entry)[0] == w.syntax
            assert cb.ValueList.from_buffer(entry + b"\0" * 4)[0] == w
    # every byte belongs to exactly one entry, in order
    entries = describe(data)
    assert entries[0].offset == 0 and sum(e.size for e in entries) == len(data)
    assert all(a.offset + a.size == b.offset for a, b in zip(entries, entries[1:], strict=False))
    # the JSON encodes back to the same bytes
    assert from_json(doc).to_bytes() == data
    # the --hex table has a row per entry: count, names, values, ENDMARKs
    code, out, _ = run(capsys, "proplist", "decode", path, "--hex")
    rows = [line.split()[0] for line in out.splitlines() if line.startswith("0x")]
    assert code == 0 and rows == [f"0x{e.offset:04X}" for e in entries]
    assert f"count = {len(want)}" in out and out.count("ENDMARK") == len(want) + doc["endmarks"]


def test_decode_table(capsys):
    code, out, _ = run(capsys, "proplist", "decode", REAL[0])
    assert code == 0 and "SharedVolumesRoot" in out and "0x00010002" in out and "DWORD" in out
    assert "'C:\\\\ClusterStorage'" in out and "0x0188" in out
    count = len(cb.PropertyList.from_buffer(REAL[0].read_bytes()))
    assert out.startswith(f"412 bytes: a property list of {count} properties")


EVERY_FORMAT = [  # (item, --format or None, the Value it must become)
    ("A=7", None, cb.Dword(7)),
    ("A=0x10", "DWORD", cb.Dword(16)),
    ("A=-5", "LONG", cb.Long(-5)),
    ("A=65535", "word", cb.Word(65535)),
    ("A=18446744073709551615", "ULARGE_INTEGER", cb.ULargeInteger(2**64 - 1)),
    ("A=-9223372036854775808", "LARGE_INTEGER", cb.LargeInteger(-2**63)),
    ("A=133700000000000000", "FILETIME", cb.FileTime(133_700_000_000_000_000)),
    ("A=2026-12-03T10:00", "FILETIME", cb.FileTime(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC))),
    ("A=C:\\ClusterStorage", None, cb.Sz("C:\\ClusterStorage")),
    ("A=%SystemRoot%", "EXPAND_SZ", cb.ExpandSz("%SystemRoot%")),
    ("A=C:\\Windows", "EXPANDED_SZ", cb.ExpandedSz("C:\\Windows")),
    ("A=Größe", "SZ", cb.Sz("Größe")),
    ("A=a,b,c", "MULTI_SZ", cb.MultiSz(["a", "b", "c"])),
    ("A=", "MULTI_SZ", cb.MultiSz([])),
    ("A=00ff 10", "BINARY", cb.Binary(b"\x00\xff\x10")),
    (f"A={SD.hex()}", "SECURITY_DESCRIPTOR", cb.SecurityDescriptor(SD)),
    ("A=cafe", "0x8001", cb.Value(0x00018001, b"\xca\xfe")),
    ("A=5", "0x00050002", cb.Dword(5, syntax=0x00050002)),
]


@pytest.mark.parametrize(("item", "fmt", "value"), EVERY_FORMAT, ids=lambda x: str(x)[:20])
def test_encode_decode_round_trip_every_format(capsys, tmp_path, item, fmt, value):
    argv = [item] + (["--format", f"A={fmt}"] if fmt else [])
    data = encoded(capsys, *argv)
    assert data == cb.PropertyList({"A": value}).to_bytes()
    (tmp_path / "l.bin").write_bytes(data)
    doc = run_json(capsys, "proplist", "decode", tmp_path / "l.bin")
    [prop] = doc["properties"]
    assert prop["name"] == "A" and prop["values"][0]["syntax"] == value.syntax
    assert from_json(doc).to_bytes() == data
    # the same value in a value list
    vl = encoded(capsys, "--value-list", item[2:], *(["--format", f"0={fmt}"] if fmt else []))
    assert vl == cb.ValueList([value]).to_bytes()
    (tmp_path / "v.bin").write_bytes(vl)
    doc = run_json(capsys, "proplist", "decode", tmp_path / "v.bin", "--value-list")
    assert [v["syntax"] for v in doc["values"]] == [value.syntax]


def test_encode_known_properties_repeats_and_endmark(capsys):
    # BackupInProgress is a DWORD by CLUSTER_COMMON_PROPERTIES; a repeated name: two values
    data = encoded(capsys, "BackupInProgress=1", "Path=x", "Path=y", "--no-endmark")
    want = cb.PropertyList({"BackupInProgress": cb.Dword(1), "Path": (cb.Sz("x"), cb.Sz("y"))},
                           endmark=False)
    assert data == want.to_bytes()


def test_encode_writes_binary_to_stdout_and_files(tmp_path):
    res = subprocess.run([sys.executable, "-m", "csvbackup", "proplist", "encode",
                          "BackupInProgress=1"], capture_output=True)
    want = cb.PropertyList({"BackupInProgress": 1}).to_bytes()
    assert res.returncode == 0 and res.stdout == want, res.stderr
    out = tmp_path / "x.bin"
    res = subprocess.run([sys.executable, "-m", "csvbackup", "proplist", "encode",
                          "BackupInProgress=1", "--out", str(out)], capture_output=True)
    assert res.returncode == 0 and out.read_bytes() == want
    # decode --json | encode --from-json - : the captured list back, byte for byte
    dump = subprocess.run([sys.executable, "-m", "csvbackup", "proplist", "decode",
                           str(REAL[1]), "--json"], capture_output=True, check=True).stdout
    res = subprocess.run([sys.executable, "-m", "csvbackup", "proplist", "encode",
                          "--from-json", "-"], input=dump, capture_output=True)
    assert res.returncode == 0 and res.stdout == REAL[1].read_bytes()


@settings(max_examples=150, deadline=None)
@given(property_lists())
def test_decoded_json_encodes_back_byte_for_byte(rep):
    pl = to_property_list(rep)
    data = pl.to_bytes()
    doc, entries = decoded(data, with_hex=True)
    assert sum(e.size for e in entries) == len(data)
    back = from_json(json.loads(json.dumps(doc)))
    assert back == pl and back.to_bytes() == data




def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path):
    data = REAL[1].read_bytes()
    (tmp_path / "cut.bin").write_bytes(data[:100])
    assert "offset 0x" in bad(capsys, "proplist", "decode", tmp_path / "cut.bin")
    assert "missing.bin" in bad(capsys, "proplist", "decode", tmp_path / "missing.bin")
    assert "directory" in bad(capsys, "proplist", "decode", tmp_path).lower()
    (tmp_path / "v.bin").write_bytes(cb.ValueList([1]).to_bytes()[:-4])
    assert "offset 0x" in bad(capsys, "proplist", "decode", tmp_path / "v.bin", "--value-list")
    e = "encode"
    assert "NAME=VALUE" in bad(capsys, "proplist", e)
    assert "NAME=VALUE" in bad(capsys, "proplist", e, "novalue")
    assert "DWORD" in bad(capsys, "proplist", e, "A=4294967296")
    assert "BOGUS" in bad(capsys, "proplist", e, "A=1", "--format", "A=BOGUS")
    assert "no item" in bad(capsys, "proplist", e, "A=1", "--format", "B=LONG")
    assert "LONG" in bad(capsys, "proplist", e, "A=x", "--format", "A=LONG")
    assert "LONG" in bad(capsys, "proplist", e, "A=2147483648", "--format", "A=LONG")
    assert "BINARY" in bad(capsys, "proplist", e, "A=xyz", "--format", "A=BINARY")
    assert "security descriptor" in bad(capsys, "proplist", e, "A=01", "--format",
                                        "A=SECURITY_DESCRIPTOR")
    assert "empty" in bad(capsys, "proplist", e, "A=a,,b", "--format", "A=MULTI_SZ")
    assert "FILETIME" in bad(capsys, "proplist", e, "A=1500-01-01", "--format", "A=FILETIME")
    assert "from-json" in bad(capsys, "proplist", e, "A=x", "--format", "A=PROPERTY_LIST")
    assert "index" in bad(capsys, "proplist", e, "--value-list", "1", "--format", "3=LONG")
    (tmp_path / "j.json").write_text("{not json")
    assert "not JSON" in bad(capsys, "proplist", e, "--from-json", tmp_path / "j.json")
    (tmp_path / "j.json").write_text('{"kind": "tree"}')
    assert "kind" in bad(capsys, "proplist", e, "--from-json", tmp_path / "j.json")
    (tmp_path / "j.json").write_text('[1, 2]')
    assert "j.json" in bad(capsys, "proplist", e, "--from-json", tmp_path / "j.json")
    assert "x.bin: No such file" in bad(capsys, "proplist", e, "A=1", "--out",
                                        tmp_path / "no" / "x.bin")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(REAL), st.data())
def test_describe_fuzz(path, data):
    """Mutated real lists: describe() and decoded() either refuse the bytes with an offset
    inside them, or account for every byte, as property and as value lists."""
    buf = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        kind = data.draw(st.sampled_from(["flip", "cut", "grow"]))
        if kind == "flip" and buf:
            i = data.draw(st.integers(0, len(buf) - 1))
            buf[i] = data.draw(st.integers(0, 255))
        elif kind == "cut":
            del buf[data.draw(st.integers(0, len(buf))):]
        else:
            buf += bytes(data.draw(st.binary(max_size=12)))
    for value_list in (False, True):
        try:
            doc, entries = decoded(bytes(buf), value_list=value_list, with_hex=True)
        except cb.InvalidDataError as e:
            assert 0 <= e.offset <= len(buf)
            continue
        assert sum(e.size for e in entries) == len(buf) and doc["size"] == len(buf)
        assert from_json(json.loads(json.dumps(doc))) is not None
