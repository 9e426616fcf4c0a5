# Declarations of src/clussim/clussim.h through src/clussim/shim.h: the simulator's private
# state image and its set-up calls (stubbed out on Windows, where the real cluster answers).
from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t, int64_t

from clusapi cimport DWORD, WCHAR


cdef extern from "clussim/shim.h" nogil:
    const int CSVB_HAVE_SIMULATOR
    const uint32_t CLUSSIM_MAX_NODES
    const uint32_t CLUSSIM_MAX_RESOURCES
    const uint32_t CLUSSIM_NAME_CHARS
    const uint32_t CLUSSIM_SHORT_CHARS
    const uint32_t CLUSSIM_GUID_PATH_CHARS
    const uint32_t CLUSSIM_DEVICE_CHARS
    const uint32_t CLUSSIM_DEVICES
    const uint32_t CLUSSIM_FLAG_NO_FSYNC
    const uint32_t CLUSSIM_STALE_SECS

    ctypedef struct clussim_header:
        uint32_t flags
        uint32_t node_count
        uint32_t resource_count
        uint32_t behaviour
        uint32_t domain_account
        uint64_t generation
        uint8_t fingerprint[16]

    ctypedef struct clussim_cluster:
        WCHAR name[64]
        WCHAR nodes[16][64]
        WCHAR system_drive[4]
        WCHAR system_volume[50]
        WCHAR system_devices[2][128]
        WCHAR shared_volumes_root[260]
        WCHAR description[260]
        uint32_t backup_in_progress

    ctypedef struct clussim_resource:
        int64_t deadline
        uint64_t volume_offset
        uint32_t owner_node
        uint32_t online
        uint32_t is_csv
        uint32_t partition_number
        uint32_t backup_state
        uint32_t delay_timer_secs
        uint32_t fault_state
        uint8_t id[16]
        WCHAR name[260]
        WCHAR type[64]
        WCHAR friendly_name[260]
        WCHAR volume_guid_path[50]
        char local_dir[1024]

    ctypedef struct clussim_image:
        clussim_header header
        clussim_cluster cluster
        clussim_resource resources[64]

    DWORD clussim_create(const char *path, clussim_image *img, int replace)
    DWORD clussim_attach(const char *path, const WCHAR *local_node, const uint8_t *fingerprint)
    void clussim_detach()
    DWORD clussim_read(const char *path, clussim_image *img)
    void clussim_set_time(int64_t filetime)
    int64_t clussim_now()
    const char *clussim_detail()
    uint32_t clussim_backup_state(const clussim_resource *r, int64_t now)
    void clussim_set_upcase(const uint16_t *upcase)
