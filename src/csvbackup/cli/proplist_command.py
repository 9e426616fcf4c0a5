"""``csvbackup proplist decode|encode``: a CLUSPROP property or value list, bytes to a readable
dump (every entry's offset, and with ``--hex`` its bytes) and values to bytes, so a buffer
captured from a real cluster can be read, edited and written back."""
import argparse
import json
import sys

from ..clusprop import CLUSTER_COMMON_PROPERTIES, PropertyList, ValueList
from ..clusprop.dump import describe, from_json, to_json
from ..clusprop.syntax import Format, PropType, syntax_value
from ..clusprop.values import Value
from .arguments import UsageError, add_command, filetime, name_value, read_input

__all__ = ["add_parsers"]

_SHOWN_BYTES = 32  # raw values longer than this are cut in the table (not with --hex/--json)


def add_parsers(sub):
    p = sub.add_parser("proplist", help="decode or encode a CLUSPROP property or value list",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = p.add_subparsers(dest="proplist_command", required=True, metavar="ACTION")

    q = add_command(
        actions, "decode", "a readable dump of a list's bytes", func=cmd_decode,
        description="Every entry of the list: its offset, name, syntax, format and value "
                    "(--hex: its bytes). Bad bytes: the error and its byte offset, exit 2.",
        examples=["csvbackup proplist decode captured.bin --hex",
                  "csvbackup proplist decode - --value-list < values.bin",
                  "csvbackup proplist decode captured.bin --json > list.json   "
                  "# edit, then: proplist encode --from-json list.json"])
    q.add_argument("file", metavar="FILE|-", help="the bytes (- reads stdin)")
    q.add_argument("--value-list", action="store_true",
                   help="the bytes are a value list (default: a property list)")
    q.add_argument("--hex", action="store_true", help="show every entry's bytes in hex")
    q.add_argument("--json", action="store_true",
                   help="print the list as JSON (what encode --from-json reads back)")

    q = add_command(
        actions, "encode", "write a list's bytes from NAME=VALUE (or VALUE) items",
        func=cmd_encode,
        description="The byte-exact list. A value's format is --format's, else the cluster "
                    "common property's, else DWORD for a whole number and SZ for text. By "
                    "format, VALUE is: a number (0x... too) for DWORD, LONG, WORD, "
                    "(U)LARGE_INTEGER; a number or ISO time for FILETIME; the text for SZ, "
                    "EXPAND_SZ, EXPANDED_SZ; a,b,c for MULTI_SZ; hex for BINARY, "
                    "SECURITY_DESCRIPTOR and user formats. A NAME given twice gets both "
                    "values, in order. Nested lists and exact syntaxes: --from-json.",
        examples=["csvbackup proplist encode BackupInProgress=1 --out set.bin",
                  "csvbackup proplist encode Timeout=-1 --format Timeout=LONG --hex",
                  "csvbackup proplist encode --value-list 1 text --format 1=EXPAND_SZ > v.bin",
                  "csvbackup proplist decode old.bin --json | csvbackup proplist encode "
                  "--from-json - > new.bin"])
    q.add_argument("items", nargs="*", metavar="NAME=VALUE",
                   help="a property's value (with --value-list: a VALUE)")
    q.add_argument("--format", action="append", type=name_value, default=[],
                   metavar="NAME=FORMAT",
                   help="a property's format by name (DWORD, SZ, ...) or number (a format, "
                        "or a whole syntax above 0xFFFF); with --value-list, NAME is the "
                        "value's 0-based index")
    q.add_argument("--value-list", action="store_true", help="write a value list")
    q.add_argument("--no-endmark", action="store_true",
                   help="omit the list-level ENDMARK servers send after the last property")
    q.add_argument("--from-json", metavar="FILE|-",
                   help="the list as decode --json prints it (instead of items)")
    q.add_argument("--out", metavar="FILE", help="write the bytes here (default: stdout)")
    q.add_argument("--hex", action="store_true", help="print the bytes in hex instead")
    q.add_argument("--json", action="store_true", help="print {size, hex, out} as JSON")


# --- decode ---
def _hex(data):
    """Bytes in hex, a space every 4 bytes (one CLUSPROP DWORD)."""
    h = data.hex()
    return " ".join(h[i:i + 8] for i in range(0, len(h), 8))


def _shown(value_json, *, full):
    """A value's cell in the table."""
    v, fmt = value_json["value"], value_json["format"]
    if fmt == "FILETIME":
        return f"{v} ({value_json['time'] or 'beyond datetime'})"
    if fmt == "MULTI_SZ":
        return " | ".join(v) if v else "(empty)"
    if fmt == "PROPERTY_LIST":
        return f"(a property list of {len(v['properties'])} properties: see --json)"
    if isinstance(v, str) and fmt not in ("SZ", "EXPAND_SZ", "EXPANDED_SZ"):
        n = len(v) // 2
        if full or n <= _SHOWN_BYTES:
            return f"{_hex(bytes.fromhex(v))} ({n} bytes)"
        return f"{_hex(bytes.fromhex(v[:2 * _SHOWN_BYTES]))} ... ({n} bytes)"
    return repr(v) if isinstance(v, str) else str(v)


def decoded(data, *, value_list=False, with_hex=False):
    """The JSON of a list's bytes (`clusprop.dump.to_json`) with each property's and
    value's ``offset`` and ``size`` in `data` (and ``hex``, its bytes, when asked), its
    ``size`` and its list-level ``endmarks``. Raises InvalidDataError on bad bytes."""
    entries = describe(data, value_list=value_list)
    parsed = (ValueList if value_list else PropertyList).from_buffer(data, copy=True)
    obj = {"size": len(data), **to_json(parsed)}
    values = iter([v for p in obj["properties"] for v in p["values"]] if not value_list
                  else obj["values"])
    props = iter(obj.get("properties", ()))
    for e in entries:
        if e.kind == "name":
            prop = next(props)
            prop["offset"], prop["size"] = e.offset, e.size
        elif e.kind == "value":
            v = next(values)
            v["offset"], v["size"] = e.offset, e.size
            if with_hex:
                v["hex"] = data[e.offset:e.offset + e.size].hex()
    last = [e for e in entries if e.kind == "endmark" and e.name is None]
    obj["endmarks"] = len(last)
    return obj, entries


def cmd_decode(args, out):
    from .output import Output

    output = Output(out, json_mode=args.json)
    data = read_input(args.file)
    obj, entries = decoded(data, value_list=args.value_list, with_hex=args.hex)
    kind = "value" if args.value_list else "property"
    count = len(obj["values"]) if args.value_list else len(obj["properties"])
    output.line(f"{len(data):,} bytes: a {kind} list of {count} "
                f"{'values' if args.value_list else 'properties'}")
    values = iter([v for p in obj.get("properties", ()) for v in p["values"]]
                  or obj.get("values", ()))
    rows = []
    for e in entries:
        if e.kind == "value":
            v = next(values)
            rows.append([f"0x{e.offset:04X}", e.name, f"0x{v['syntax']:08X}", v["format"],
                         _shown(v, full=args.hex)] + ([_hex(data[e.offset:e.offset + e.size])]
                                                      if args.hex else []))
        elif args.hex:  # the count, names and ENDMARKs too: every byte of the buffer shown
            what = {"count": f"count = {int.from_bytes(data[:4], 'little')}",
                    "name": "NAME", "endmark": "ENDMARK"}[e.kind]
            rows.append([f"0x{e.offset:04X}", e.name or "", "", what, "",
                         _hex(data[e.offset:e.offset + e.size])])
    columns = ["offset", "#" if args.value_list else "name", "syntax", "format", "value"]
    output.table(None, columns + (["bytes"] if args.hex else []), rows, right=["offset"])
    output.json(obj)
    return 0


# --- encode ---
def _format_of(text):
    """--format's FORMAT: a Format name, or a number (a format, or a whole syntax)."""
    try:
        n = int(text, 0)
    except ValueError:
        try:
            return syntax_value(PropType.LIST_VALUE, Format[text.upper()])
        except KeyError:
            known = ", ".join(f.name for f in Format)
            raise UsageError(f"--format {text!r}: a format ({known}) or a number") from None
    if not 0 < n <= 0xFFFFFFFF:
        raise UsageError(f"--format {text!r}: not a format or a syntax DWORD")
    return n if n > 0xFFFF else syntax_value(PropType.LIST_VALUE, n)


def _value(where, text, syntax):
    """The Value of one item's text, for `syntax` (None: inferred from the text)."""
    if syntax is None:
        try:
            n = int(text, 0)
        except ValueError:
            return Value(syntax_value(PropType.LIST_VALUE, Format.SZ), text)
        if not 0 <= n <= 0xFFFFFFFF:
            raise UsageError(f"{where}={text}: does not fit a DWORD; give --format "
                             f"{where}=LONG, LARGE_INTEGER or ULARGE_INTEGER")
        return Value(syntax_value(PropType.LIST_VALUE, Format.DWORD), n)
    fmt = syntax & 0xFFFF
    try:
        if fmt == Format.FILETIME:
            raw = filetime(text)
        elif fmt in (Format.DWORD, Format.LONG, Format.WORD, Format.ULARGE_INTEGER,
                     Format.LARGE_INTEGER):
            raw = int(text, 0)
        elif fmt in (Format.SZ, Format.EXPAND_SZ, Format.EXPANDED_SZ):
            raw = text
        elif fmt == Format.MULTI_SZ:
            raw = text.split(",") if text else []
        elif fmt == Format.PROPERTY_LIST:
            raise UsageError(f"{where}: a nested property list is given with --from-json")
        else:
            raw = bytes.fromhex(text.replace(":", "").replace(" ", ""))
    except (ValueError, argparse.ArgumentTypeError) as e:
        name = Format(fmt).name if fmt in Format._value2member_map_ else f"0x{fmt:04X}"
        raise UsageError(f"{where}={text!r}: not a {name} value ({e})") from None
    return Value(syntax, raw)


def _from_items(args):
    formats = {}
    for name, text in args.format:
        formats[name] = _format_of(text)
    if args.value_list:
        unknown = [n for n in formats if not (n.isdigit() and int(n) < len(args.items))]
        if unknown:
            raise UsageError(f"--format {unknown[0]}=...: with --value-list, NAME is the index "
                             f"of one of the {len(args.items)} values")
        return ValueList([_value(str(i), text, formats.get(str(i)))
                          for i, text in enumerate(args.items)])
    pairs = [name_value_item(i) for i in args.items]
    unknown = [n for n in formats if n not in {name for name, _ in pairs}]
    if unknown:
        raise UsageError(f"--format {unknown[0]}=...: no item names {unknown[0]!r}")
    pl = PropertyList(endmark=not args.no_endmark)
    for name, text in pairs:
        syntax = formats.get(name)
        if syntax is None and name in CLUSTER_COMMON_PROPERTIES:
            syntax = syntax_value(PropType.LIST_VALUE, CLUSTER_COMMON_PROPERTIES[name].format)
        v = _value(name, text, syntax)
        pl[name] = (*pl.values_of(name), v) if name in pl else v
    return pl


def name_value_item(text):
    """One NAME=VALUE item of encode."""
    try:
        return name_value(text)
    except argparse.ArgumentTypeError as e:
        raise UsageError(str(e)) from None


def cmd_encode(args, out):
    if args.from_json is not None:
        if args.items or args.format:
            raise UsageError("--from-json takes the whole list: give no items or --format")
        where = "stdin" if args.from_json == "-" else args.from_json
        try:
            lst = from_json(json.loads(read_input(args.from_json)))
        except json.JSONDecodeError as e:
            raise UsageError(f"{where}: not JSON ({e})") from None
        except (ValueError, TypeError, AttributeError) as e:  # Win32 codes are ValueErrors too
            raise UsageError(f"{where}: not a list's JSON: {e}") from None
    elif not args.items:
        raise UsageError("encode needs NAME=VALUE items (or VALUEs with --value-list), "
                         "or --from-json FILE")
    else:
        lst = _from_items(args)
    data = lst.to_bytes()
    if args.out:
        with open(args.out, "wb") as f:
            f.write(data)
    if args.json:
        out.write(json.dumps({"size": len(data), "hex": data.hex(), "out": args.out}) + "\n")
    elif args.hex:
        out.write(_hex(data) + "\n")
    elif args.out:
        sys.stderr.write(f"{len(data)} bytes written to {args.out}\n")
    else:
        binary = getattr(out, "buffer", None)
        if binary is None or out.isatty():
            raise UsageError("the list is binary: give --out FILE, --hex, or redirect stdout")
        out.flush()
        binary.write(data)
        binary.flush()
    return 0
