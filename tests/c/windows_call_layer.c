/* Cross-compiled and linked for Windows with mingw-w64 by tests/c/test_windows_headers.py: the
 * Windows flavour of the core's call layer. It includes what src/_csvcore.pyx includes for
 * the cluster calls (csvbackup/clusapi.h, csvbackup/csv_backup.h and clussim/shim.h,
 * whose simulator set-up calls are stubs on Windows) and makes the calls the way
 * src/cluster/calls.pxi makes them, so the Windows build of the extension cannot meet a
 * type or a name these did not. (The Cython-generated C itself needs Windows' Python
 * headers, which Debian does not ship.) */
#include <string.h>

#include <csvbackup/clusapi.h>
#include <csvbackup/csv_backup.h>

#include "clussim/shim.h"

CSVB_STATIC_ASSERT(CSVB_HAVE_SIMULATOR == 0, "no simulator on Windows");
CSVB_STATIC_ASSERT(sizeof(WCHAR) == 2, "WCHAR is one UTF-16 unit");
CSVB_STATIC_ASSERT(sizeof(DWORD) == 4, "DWORD is 32 bits");

int main(void)
{
    static const WCHAR file[] = L"C:\\ClusterStorage\\Volume1\\a.txt";
    WCHAR vp[260], vn[50], name[260], node[260], group[260];
    DWORD c1 = 260, c2 = 50, cch = 260, type = 0, returned = 0, cn = 260, cg = 260, rc;
    uint8_t mode[CSVB_BACKUP_MODE_SIZE], info[1024];
    HCLUSTER hc = OpenCluster(NULL);
    HCLUSENUM e;
    HRESOURCE hr;
    if (!hc)
        return (int)GetLastError();
    e = ClusterOpenEnum(hc, CSVB_CLUSTER_ENUM_SHARED_VOLUME_RESOURCE);
    if (e && ClusterEnum(e, 0, &type, name, &cch) == 0 && (hr = OpenClusterResource(hc, name))) {
        (void)GetClusterResourceState(hr, node, &cn, group, &cg);
        rc = ClusterResourceControl(hr, NULL, CSVB_CLUSCTL_RESOURCE_STORAGE_GET_SHARED_VOLUME_INFO,
                                    NULL, 0, info, sizeof info, &returned);
        if (rc == 0 && returned >= CSVB_CLUSPROP_HEADER_SIZE + CSVB_CSV_VOLUME_INFO_SIZE) {
            const uint8_t *friendly =
                info + CSVB_CLUSPROP_HEADER_SIZE + CSVB_CSV_VOLUME_INFO_FRIENDLY_OFFSET;
            size_t n = 0;
            while (n < 259 && (friendly[2 * n] | friendly[2 * n + 1]))
                ++n;
            csvb_backup_mode_write(mode, CSVB_VOLUME_BACKUP_IN_PROGRESS, 600, friendly, n);
            rc = ClusterResourceControl(hr, NULL,
                                        CSVB_CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE, mode,
                                        sizeof mode, NULL, 0, &returned);
        }
        if (OfflineClusterResource(hr) == 0)
            (void)OnlineClusterResource(hr);
        CloseClusterResource(hr);
    }
    if (e)
        ClusterCloseEnum(e);
    rc = ClusterControl(hc, NULL, CSVB_CLUSCTL_CLUSTER_GET_COMMON_PROPERTIES, NULL, 0, info,
                        sizeof info, &returned);
    if (ClusterPrepareSharedVolumeForBackup(file, vp, &c1, vn, &c2) == 0)
        rc = ClusterClearBackupStateForSharedVolume(vp);
    (void)ClusterIsPathOnSharedVolume(file);
    (void)ClusterGetVolumePathName(file, vp, 260);
    (void)ClusterGetVolumeNameForVolumeMountPoint(vp, vn, 50);
    SetLastError(0);
    clussim_detach();
    CloseCluster(hc);
    return (int)rc;
}
