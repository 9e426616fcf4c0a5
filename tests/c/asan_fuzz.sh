#!/usr/bin/env bash
# Fuzz the C CLUSPROP reader (include/csvbackup/clusprop.h) under AddressSanitizer and
# UndefinedBehaviorSanitizer: mutants of the real vectors and of generated lists, every
# reader entry point on each, exact-size heap copies. Usage: tests/c/asan_fuzz.sh [N] [SEED]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
n="${1:-2000000}"
seed="${2:-$RANDOM}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
${CC:-cc} -std=c99 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
    -fno-sanitize-recover=all -I "$here/../../include" "$here/clusprop_walk.c" -o "$out/walk"
python3 - "$out" <<'PY'
import struct, sys
out = sys.argv[1]
def name(n):
    raw = n.encode("utf-16-le") + b"\0\0"
    return struct.pack("<II", 0x00040003, len(raw)) + raw + b"\0" * (-len(raw) % 4)
def val(s, d):
    return struct.pack("<II", s, len(d)) + d + b"\0" * (-len(d) % 4)
inner = struct.pack("<I", 1) + name("i") + val(0x00010002, b"\1\0\0\0") + b"\0" * 4
props = [("A", [val(0x00010002, b"\1\0\0\0")]), ("Str", [val(0x00010003, "xy\0".encode("utf-16-le"))]),
         ("M", [val(0x00010005, "a\0b\0\0".encode("utf-16-le"))]), ("Q", [val(0x00010006, b"\0" * 8)]),
         ("E", [val(0x00010004, "%a%\0".encode("utf-16-le")), val(0x00010008, "b\0".encode("utf-16-le"))]),
         ("N", [val(0x0001000E, inner)]), ("B", [val(0x00010001, b"\1\2\3")])]
blob = struct.pack("<I", len(props)) + b"".join(name(n) + b"".join(v) + b"\0" * 4 for n, v in props) + b"\0" * 4
open(f"{out}/generated.bin", "wb").write(blob)
PY
ASAN_OPTIONS=detect_leaks=1 "$out/walk" --fuzz "$n" "$seed" \
    "$here/../data/samba_cluster_props.bin" "$here/../data/samba_node_props.bin" \
    "$out/generated.bin"
echo "asan_fuzz: $n mutants, seed $seed, no sanitizer report"
