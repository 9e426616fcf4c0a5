r"""The backup plan in plain Python, row by row: the reference `Planner` is tested against.

Built from the reference matcher (filespec_oracle), the scalar `decide`, the scalar
`effective_backup_type` and a string-splitting volume root parser; no vectorised code of the
package. One dict per row with the values of the plan's columns.
"""
import csvbackup as cb
import filespec_oracle as oracle

UNCLAIMED_MASK = 0x1 | 0xF00
UNKNOWN = 2**63 - 1


def includes_of(specs):
    """[(FileSpec, writer, component)] of the include file sets, in FileSpecSet's order, and the
    flat list of every file set (includes, excludes, excludes from snapshot, in that order)."""
    inc, exc, snap = [], [], []

    def add(item):
        if isinstance(item, cb.WriterMetadata):
            for c in item.components:
                inc.extend((f, item, c) for f in c.files)
            exc.extend(item.excludes)
            snap.extend(item.excludes_from_snapshot)
        elif hasattr(item, "filespec"):
            if item.role.is_include:
                inc.append((item, None, None))
            elif item.role is cb.FileRole.EXCLUDE:
                exc.append(item)
            else:
                snap.append(item)
        else:
            for x in item:
                add(x)
    add(specs)
    return inc, [f for f, _, _ in inc] + exc + snap


def root_of(path):
    r"""The volume root of a path by splitting it, spelled one way: X:\, \\server\share\
    (lower case), \\?\Volume{guid}\ (lower-case GUID)."""
    p = path.replace("/", "\\")
    if p[:4] == "\\\\?\\":
        rest = p[4:]
        if rest[:4].upper() == "UNC\\":
            parts = [x for x in rest[4:].split("\\") if x]
            return "\\\\" + "\\".join(parts[:2]).lower() + "\\" if len(parts) >= 2 else None
        if len(rest) >= 2 and rest[1] == ":" and rest[0].isascii() and rest[0].isalpha() \
                and (len(rest) == 2 or rest[2] == "\\"):
            return rest[0].upper() + ":\\"
        if rest[:7].lower() == "volume{" and "}" in rest:
            guid = rest[:rest.index("}") + 1]
            after = rest[len(guid):]
            if "\\" not in guid and (after == "" or after[0] == "\\"):
                return "\\\\?\\Volume" + guid[6:].lower() + "\\"
        return None
    if len(p) >= 2 and p[1] == ":" and p[0].isascii() and p[0].isalpha():
        return p[0].upper() + ":\\"
    if p[:2] == "\\\\" and len(p) > 2 and p[2] not in "\\?":
        parts = p[2:].split("\\")
        server, rest = parts[0], [x for x in parts[1:] if x]
        return "\\\\" + (server + "\\" + rest[0]).lower() + "\\" if rest else None
    return None


def plan(specs, volumes, backup_type, rows, *, since=None, unclaimed="copy"):
    """One dict per row; `rows` are (path, size, mtime FILETIME or None, entry_flags,
    differenced_since or None) tuples; `volumes` (name, mount points) pairs."""
    inc, flat = includes_of(specs)
    matched = oracle.match(flat, [r[0] for r in rows])
    vols = oracle.volume_lookup([m for _, m in volumes], [r[0] for r in rows])
    names = [n for n, _ in volumes]
    out = []
    for (path, _size, mtime, flags, diff), mrow, v in zip(rows, matched, vols, strict=True):
        spec = mrow.spec
        writer = component = None
        btype = backup_type
        if spec >= 0:
            f, w, c = inc[spec]
            if w is not None:
                writer = f"{w.friendly_name} ({w.instance_name})" if w.instance_name \
                    else w.friendly_name
                component = f"{c.logical_path}\\{c.name}" if c.logical_path else c.name
                btype = cb.effective_backup_type(backup_type, w.backup_schema)
        if mrow.status:
            volume, decision = None, 0
        else:
            if v >= 0:
                volume = names[v]
            else:
                root = root_of(path)
                volume = root
            entry = (flags or 0) | (cb.EntryFlag.EXCLUDED if mrow.excluded else 0)
            mask = mrow.mask if spec >= 0 or unclaimed == "skip" else UNCLAIMED_MASK
            decision = int(cb.decide(mask, btype, mtime=UNKNOWN if mtime is None else mtime,
                                     since=since, entry=entry,
                                     differenced_since=diff or 0))
            if spec < 0 and unclaimed == "skip":
                decision &= int(cb.Decision.EXCLUDED)
        out.append({
            "volume": volume, "csv": v >= 0, "writer": writer, "component": component,
            "mask": mrow.mask, "decision": decision,
            "copy": bool(decision & (cb.Decision.COPY | cb.Decision.PARTIAL)),
            "from_snapshot": bool(decision & cb.Decision.SNAPSHOT),
            "partial": bool(decision & cb.Decision.PARTIAL),
            "excluded": bool(decision & cb.Decision.EXCLUDED),
            "by_mtime": bool(decision & cb.Decision.BY_MTIME),
            "path_status": mrow.status,
        })
    return out
