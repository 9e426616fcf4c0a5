# Setting up the simulated cluster (src/clussim/clussim.h): the facade's csvbackup.simulator
# reads and checks the TOML configuration, then hands the topology here as plain values.
# Included by _csvcore.pyx.


cdef int _put_w(WCHAR *dst, size_t cap, str s, str what) except -1:
    cdef bytes b = _wide(s, what)
    cdef size_t units = len(b) // 2  # with the NUL
    if units > cap:
        raise _InvalidParameterError(f"{what} is {units - 1} characters; the simulator "
                                     f"keeps at most {cap - 1}")
    memcpy(dst, PyBytes_AS_STRING(b), 2 * units)
    return 0


cdef str _get_w(const WCHAR *p, size_t cap):
    return _from_wide(p, _wlen(p, cap))


cdef bytes _fs_path(path):
    import os
    return os.fsencode(path)


def sim_create(path, dict cluster, list resources, bint replace=False):
    """Write a new state file (clussim_create); False if one exists and not `replace`."""
    cdef clussim_image *img
    cdef clussim_resource *r
    cdef bytes p = _fs_path(path)
    cdef const char *pp = p
    cdef bytes local
    cdef DWORD rc
    cdef size_t k
    if not HAVE_SIMULATOR:
        raise _error_for(CSVB_ERROR_NOT_SUPPORTED, "the simulated cluster",
                         "it is built only off Windows")
    if not 1 <= len(cluster["nodes"]) <= CLUSSIM_MAX_NODES:
        raise _InvalidParameterError(f"a simulated cluster has 1-{CLUSSIM_MAX_NODES} nodes")
    if len(resources) > CLUSSIM_MAX_RESOURCES:
        raise _InvalidParameterError(
            f"a simulated cluster has at most {CLUSSIM_MAX_RESOURCES} resources")
    img = <clussim_image *>calloc(1, sizeof(clussim_image))
    if img == NULL:
        raise MemoryError()
    try:
        img.header.node_count = len(cluster["nodes"])
        img.header.resource_count = len(resources)
        img.header.behaviour = cluster["behaviour"]
        img.header.domain_account = 1 if cluster["domain_account"] else 0
        img.header.flags = 0 if cluster["fsync"] else CLUSSIM_FLAG_NO_FSYNC
        memcpy(img.header.fingerprint, <const char *>cluster["fingerprint"], 16)
        _put_w(img.cluster.name, CLUSSIM_SHORT_CHARS, cluster["name"], "cluster name")
        for k, node in enumerate(cluster["nodes"]):
            _put_w(img.cluster.nodes[k], CLUSSIM_SHORT_CHARS, node, "node name")
        _put_w(img.cluster.system_drive, 4, cluster["system_drive"], "system_drive")
        _put_w(img.cluster.system_volume, CLUSSIM_GUID_PATH_CHARS, cluster["system_volume"],
               "system_volume")
        for k, device in enumerate(cluster["system_devices"][:CLUSSIM_DEVICES]):
            _put_w(img.cluster.system_devices[k], CLUSSIM_DEVICE_CHARS, device, "system device")
        _put_w(img.cluster.shared_volumes_root, CLUSSIM_NAME_CHARS,
               cluster["shared_volumes_root"], "shared_volumes_root")
        _put_w(img.cluster.description, CLUSSIM_NAME_CHARS, cluster["description"],
               "description")
        img.cluster.backup_in_progress = cluster["backup_in_progress"]
        for k, res in enumerate(resources):
            r = &img.resources[k]
            _put_w(r.name, CLUSSIM_NAME_CHARS, res["name"], "resource name")
            _put_w(r.type, CLUSSIM_SHORT_CHARS, res["type"], "resource type")
            memcpy(r.id, <const char *>res["id"], 16)
            r.owner_node = res["owner_node"]
            r.online = 1 if res["online"] else 0
            r.is_csv = 1 if res["is_csv"] else 0
            if r.is_csv:
                _put_w(r.friendly_name, CLUSSIM_NAME_CHARS, res["friendly_name"], "name")
                _put_w(r.volume_guid_path, CLUSSIM_GUID_PATH_CHARS, res["volume_guid_path"],
                       "volume_guid_path")
                r.volume_offset = res["volume_offset"]
                r.partition_number = res["partition_number"]
                local = _fs_path(res["local_dir"]) if res.get("local_dir") else b""
                if len(local) >= 1024:
                    raise _InvalidParameterError(f"local_dir is over 1,023 bytes: {local!r}")
                memcpy(r.local_dir, <const char *>local, len(local))
        with nogil:
            rc = clussim_create(pp, img, replace)
        if rc == CSVB_ERROR_ALREADY_EXISTS:
            return False
        _check(rc, f"creating the simulated cluster's state file {path}")
        return True
    finally:
        free(img)


def sim_attach(path, str local_node not None, bytes fingerprint=None):
    """Make `path` this process's local simulated cluster, as node `local_node`."""
    cdef bytes p = _fs_path(path)
    cdef bytes node = _wide(local_node, "local node")
    cdef const char *pp = p
    cdef const WCHAR *wn = <const WCHAR *><const char *>node
    cdef const uint8_t *fp = NULL
    cdef DWORD rc
    if not HAVE_SIMULATOR:
        raise _error_for(CSVB_ERROR_NOT_SUPPORTED, "the simulated cluster",
                         "it is built only off Windows")
    if fingerprint is not None:
        if len(fingerprint) != 16:
            raise ValueError("the fingerprint is 16 bytes")
        fp = <const uint8_t *><const char *>fingerprint
    # names and paths then compare as the file-spec matcher and mount maps compare them
    clussim_set_upcase(_upcase())
    with nogil:
        rc = clussim_attach(pp, wn, fp)
    _check(rc, f"attaching the simulated cluster {path}")


def sim_detach():
    """Forget this process's local simulated cluster."""
    clussim_detach()


def sim_set_time(int64_t filetime):
    """Fix the simulator's clock of this process at `filetime` (0: the wall clock)."""
    if filetime < 0:
        raise ValueError("a FILETIME is not negative")
    clussim_set_time(filetime)


def sim_now():
    """The simulator's clock: FILETIME ticks."""
    return clussim_now()


def sim_read(path):
    """The state file as plain values (what the simulator sees, lazily expired timers
    included), for inspection and tests."""
    cdef bytes p = _fs_path(path)
    cdef const char *pp = p
    cdef clussim_image *img = <clussim_image *>malloc(sizeof(clussim_image))
    cdef clussim_resource *r
    cdef DWORD rc
    cdef int64_t now = clussim_now()
    cdef uint32_t k
    if img == NULL:
        raise MemoryError()
    try:
        with nogil:
            rc = clussim_read(pp, img)
        _check(rc, f"reading the simulated cluster's state file {path}")
        resources = []
        for k in range(img.header.resource_count):
            r = &img.resources[k]
            resources.append(dict(
                name=_get_w(r.name, CLUSSIM_NAME_CHARS), type=_get_w(r.type, CLUSSIM_SHORT_CHARS),
                id=bytes(r.id[:16]), owner_node=r.owner_node, online=bool(r.online),
                is_csv=bool(r.is_csv), friendly_name=_get_w(r.friendly_name, CLUSSIM_NAME_CHARS),
                volume_guid_path=_get_w(r.volume_guid_path, CLUSSIM_GUID_PATH_CHARS),
                volume_offset=r.volume_offset, partition_number=r.partition_number,
                backup_state=clussim_backup_state(r, now), stored_backup_state=r.backup_state,
                delay_timer_secs=r.delay_timer_secs, deadline=r.deadline,
                fault_state=r.fault_state,
                local_dir=r.local_dir.decode("utf-8", "surrogateescape")))
        return dict(
            generation=img.header.generation, behaviour=img.header.behaviour,
            domain_account=bool(img.header.domain_account),
            fsync=not (img.header.flags & CLUSSIM_FLAG_NO_FSYNC),
            fingerprint=bytes(img.header.fingerprint[:16]),
            name=_get_w(img.cluster.name, CLUSSIM_SHORT_CHARS),
            nodes=[_get_w(img.cluster.nodes[k], CLUSSIM_SHORT_CHARS)
                   for k in range(img.header.node_count)],
            description=_get_w(img.cluster.description, CLUSSIM_NAME_CHARS),
            backup_in_progress=img.cluster.backup_in_progress,
            shared_volumes_root=_get_w(img.cluster.shared_volumes_root, CLUSSIM_NAME_CHARS),
            resources=resources)
    finally:
        free(img)
