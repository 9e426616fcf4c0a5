/* Cross-compiled and linked for Windows with mingw-w64 by tests/c/test_windows_headers.py:
 * include/csvbackup/clusapi.h with the real <clusapi.h>; the ResUtils prototypes cut out of
 * mingw's resapi.h are force-included (-include) so any difference from csvbackup's own
 * declarations is a conflicting-types error; linking against -lclusapi -lresutils proves
 * that every call the core makes resolves to an export of ClusAPI.dll or ResUtils.dll.
 * Build with -D_WIN32_WINNT=0x0502: mingw's clusapi.h only compiles below 0x0600. */

#include <csvbackup/clusapi.h>

#define CHECK(cond, what) typedef char check_##what[(cond) ? 1 : -1];
CHECK(CSVB_CLUSTER_ENUM_RESOURCE == CLUSTER_ENUM_RESOURCE, enum_resource)
CHECK(CSVB_CLUSTER_ENUM_NODE == CLUSTER_ENUM_NODE, enum_node)

typedef void (*any_fn)(void);

int main(int argc, char **argv)
{
    /* Every call the core makes: referenced, so the linker must find each import. */
    static const any_fn calls[] = {
        (any_fn)OpenCluster,
        (any_fn)CloseCluster,
        (any_fn)OpenClusterResource,
        (any_fn)CloseClusterResource,
        (any_fn)ClusterResourceControl,
        (any_fn)ClusterControl,
        (any_fn)ClusterOpenEnum,
        (any_fn)ClusterEnum,
        (any_fn)ClusterCloseEnum,
        (any_fn)GetClusterResourceState,
        (any_fn)OnlineClusterResource,
        (any_fn)OfflineClusterResource,
        (any_fn)ClusterPrepareSharedVolumeForBackup,
        (any_fn)ClusterClearBackupStateForSharedVolume,
        (any_fn)ClusterIsPathOnSharedVolume,
        (any_fn)ClusterGetVolumePathName,
        (any_fn)ClusterGetVolumeNameForVolumeMountPoint,
    };
    (void)argv;
    return calls[argc % (int)(sizeof calls / sizeof calls[0])] != 0 ? 0 : 1;
}
