/* Cross-compiled for Windows with mingw-w64 by tests/c/test_windows_headers.py: every control
 * code, object and backup-state value csvbackup defines equals Windows' for the names
 * mingw-w64's clusapi.h has, and CLUS_SHARED_VOLUME_BACKUP_MODE - which mingw lacks - compiled
 * from the SDK's text (ClusApi.h 5168-5172) with mingw's own types has csvbackup's layout.
 * mingw's clusapi.h only compiles for _WIN32_WINNT < 0x0600 (docs/reference/cluster-formats.md
 * section 2.5) and keeps CLUSTER_SHARED_VOLUME_BACKUP_STATE under 0x0601, so the test cuts that
 * typedef out of mingw's header and force-includes it (-include). */
#define _WIN32_WINNT 0x0502
#include <stddef.h>
#include <windows.h>
#include <clusapi.h>

#include <csvbackup/csv_backup.h>

#define CHECK_IF_1(cond, what) CSVB_STATIC_ASSERT(cond, what);
#define CHECK_IF_0(cond, what)
#define CHECK_OBJECT(name, value, in_mingw) \
    CHECK_IF_##in_mingw((long)CLUS_OBJECT_##name == (value), "CLUS_OBJECT_" #name)
#define CHECK_CLCTL(name, function, access, modify, in_mingw) \
    CHECK_IF_##in_mingw((long)CLCTL_##name == (long)CSVB_CLCTL_##name, "CLCTL_" #name)
#define CHECK_CLUSCTL(name, object, clctl, in_mingw) \
    CHECK_IF_##in_mingw((long)CLUSCTL_##name == (long)CSVB_CLUSCTL_##name, "CLUSCTL_" #name)
CSVB_CLUS_OBJECT_LIST(CHECK_OBJECT)
CSVB_CLCTL_LIST(CHECK_CLCTL)
CSVB_CLUSCTL_LIST(CHECK_CLUSCTL)

/* the layout macros agree with the SDK's */
CSVB_STATIC_ASSERT(CSVB_CLCTL_EXTERNAL_CODE(166, CLUS_ACCESS_WRITE, CLUS_MODIFY)
                       == CLCTL_EXTERNAL_CODE(166, CLUS_ACCESS_WRITE, CLUS_MODIFY),
                   "CLCTL_EXTERNAL_CODE");
CSVB_STATIC_ASSERT(CSVB_CLCTL_MODIFY_SHIFT == CLCTL_MODIFY_SHIFT, "CLCTL_MODIFY_SHIFT");
CSVB_STATIC_ASSERT(CSVB_CLCTL_GLOBAL_SHIFT == CLCTL_GLOBAL_SHIFT, "CLCTL_GLOBAL_SHIFT");
CSVB_STATIC_ASSERT(CSVB_CLCTL_INTERNAL_SHIFT == CLCTL_INTERNAL_SHIFT, "CLCTL_INTERNAL_SHIFT");
CSVB_STATIC_ASSERT(CSVB_CLCTL_USER_SHIFT == CLCTL_USER_SHIFT, "CLCTL_USER_SHIFT");
CSVB_STATIC_ASSERT(CSVB_CLUSCTL_OBJECT_SHIFT == CLUSCTL_OBJECT_SHIFT, "CLUSCTL_OBJECT_SHIFT");
CSVB_STATIC_ASSERT(CSVB_CLUSCTL_CONTROL_CODE_MASK == CLUSCTL_CONTROL_CODE_MASK,
                   "CONTROL_CODE_MASK");
CSVB_STATIC_ASSERT(CSVB_CLUS_ACCESS_READ == CLUS_ACCESS_READ, "CLUS_ACCESS_READ");
CSVB_STATIC_ASSERT(CSVB_CLUS_ACCESS_WRITE == CLUS_ACCESS_WRITE, "CLUS_ACCESS_WRITE");

CSVB_STATIC_ASSERT(CSVB_VOLUME_BACKUP_NONE == VolumeBackupNone, "VolumeBackupNone");
CSVB_STATIC_ASSERT(CSVB_VOLUME_BACKUP_IN_PROGRESS == VolumeBackupInProgress,
                   "VolumeBackupInProgress");
CSVB_STATIC_ASSERT(CSVB_MAX_PATH == MAX_PATH, "MAX_PATH");

typedef struct sdk_backup_mode { /* ClusApi.h 5168-5172 */
    CLUSTER_SHARED_VOLUME_BACKUP_STATE BackupState;
    DWORD DelayTimerInSecs;
    WCHAR VolumeName[MAX_PATH];
} sdk_backup_mode;
CSVB_STATIC_ASSERT(sizeof(sdk_backup_mode) == CSVB_BACKUP_MODE_SIZE, "sizeof");
CSVB_STATIC_ASSERT(offsetof(sdk_backup_mode, DelayTimerInSecs) == CSVB_BACKUP_MODE_DELAY_OFFSET,
                   "DelayTimerInSecs offset");
CSVB_STATIC_ASSERT(offsetof(sdk_backup_mode, VolumeName) == CSVB_BACKUP_MODE_NAME_OFFSET,
                   "VolumeName offset");
CSVB_STATIC_ASSERT(sizeof(csvb_shared_volume_backup_mode) == sizeof(sdk_backup_mode), "struct");

typedef enum sdk_fault_state { /* ClusApi.h 5086-5092 (mingw lacks it) */
                               VolumeStateNoFaults = 0,
                               VolumeStateNoDirectIO = 1,
                               VolumeStateNoAccess = 2,
                               VolumeStateInMaintenance = 4,
                               VolumeStateDismounted = 8
} sdk_fault_state;
typedef struct sdk_csv_volume_info { /* ClusApi.h 5099-5106 */
    ULARGE_INTEGER VolumeOffset;
    DWORD PartitionNumber;
    sdk_fault_state FaultState;
    CLUSTER_SHARED_VOLUME_BACKUP_STATE BackupState;
    WCHAR szVolumeFriendlyName[MAX_PATH];
    WCHAR szVolumeName[50];
} sdk_csv_volume_info;
CSVB_STATIC_ASSERT(sizeof(sdk_csv_volume_info) == CSVB_CSV_VOLUME_INFO_SIZE, "volume info sizeof");
CSVB_STATIC_ASSERT(offsetof(sdk_csv_volume_info, PartitionNumber)
                       == CSVB_CSV_VOLUME_INFO_PARTITION_OFFSET,
                   "PartitionNumber");
CSVB_STATIC_ASSERT(offsetof(sdk_csv_volume_info, FaultState) == CSVB_CSV_VOLUME_INFO_FAULT_OFFSET,
                   "FaultState");
CSVB_STATIC_ASSERT(offsetof(sdk_csv_volume_info, BackupState) == CSVB_CSV_VOLUME_INFO_BACKUP_OFFSET,
                   "BackupState");
CSVB_STATIC_ASSERT(offsetof(sdk_csv_volume_info, szVolumeFriendlyName)
                       == CSVB_CSV_VOLUME_INFO_FRIENDLY_OFFSET,
                   "szVolumeFriendlyName");
CSVB_STATIC_ASSERT(offsetof(sdk_csv_volume_info, szVolumeName) == CSVB_CSV_VOLUME_INFO_NAME_OFFSET,
                   "szVolumeName");
CSVB_STATIC_ASSERT(sizeof(csvb_csv_volume_info) == sizeof(sdk_csv_volume_info),
                   "csv volume info struct");
CSVB_STATIC_ASSERT(VolumeStateNoDirectIO == CSVB_VOLUME_STATE_NO_DIRECT_IO
                       && VolumeStateDismounted == CSVB_VOLUME_STATE_DISMOUNTED,
                   "fault state");

int main(void)
{
    static const char name[] = "\\\\?\\Volume{00000000-0000-0000-0000-000000000000}\\";
    uint8_t units[2 * 49], mode[CSVB_BACKUP_MODE_SIZE];
    size_t k, n, where;
    for (k = 0; k < 49; ++k) {
        units[2 * k] = (uint8_t)name[k];
        units[2 * k + 1] = 0;
    }
    csvb_backup_mode_write(mode, VolumeBackupInProgress, 30, units, 49);
    return csvb_backup_mode_check(mode, sizeof mode, &n, &where) == CSVB_BACKUP_MODE_OK && n == 49
               ? 0
               : 1;
}
