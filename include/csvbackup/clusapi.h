/*
 * csvbackup/clusapi.h - the ClusAPI / ResUtils subset csvbackup calls, with Windows' exact
 * signatures (SDK ClusApi.h and ResApi.h; docs/reference/cluster-formats.md section 4.1).
 *
 * On Windows this header includes <windows.h> and <clusapi.h> and the program links
 * ClusAPI.lib and ResUtils.lib: the calls go to the real cluster. With MSVC the SDK's
 * <resapi.h> is included too; mingw-w64's clusapi.h and resapi.h cannot be included together
 * (docs/reference/cluster-formats.md section 2.5), so with mingw the five ResUtils functions are
 * declared here, as the SDK declares them (CI compiles these declarations next to the ones cut out
 * of mingw's resapi.h: any difference is a conflicting-types error, and links a program against
 * -lclusapi
 * -lresutils to prove every call resolves).
 *
 * Elsewhere it declares the same names with the same shapes (DWORD = uint32_t, WCHAR =
 * uint16_t, opaque handles) and src/clussim/ implements them: a simulated cluster, so the call
 * sites in the Cython core are identical on both. Define CSVBACKUP_NO_WINDOWS_HEADERS on
 * Windows to get these portable declarations instead of the system headers.
 */
#ifndef CSVBACKUP_CLUSAPI_H
#define CSVBACKUP_CLUSAPI_H

#include "win32_errors.h"

#if defined(_WIN32) && !defined(CSVBACKUP_NO_WINDOWS_HEADERS)

#  include <windows.h>
#  include <clusapi.h>
#  if defined(_MSC_VER)
#    include <resapi.h>
#  else
#    ifdef __cplusplus
extern "C" {
#    endif
/* SDK ResApi.h 2465-2529 (mingw-w64 resapi.h 536-540 has the same declarations) */
WINBOOL WINAPI ClusterIsPathOnSharedVolume(LPCWSTR lpszPathName);
WINBOOL WINAPI ClusterGetVolumePathName(LPCWSTR lpszFileName, LPWSTR lpszVolumePathName,
                                        DWORD cchBufferLength);
WINBOOL WINAPI ClusterGetVolumeNameForVolumeMountPoint(LPCWSTR lpszVolumeMountPoint,
                                                       LPWSTR lpszVolumeName,
                                                       DWORD cchBufferLength);
DWORD WINAPI ClusterPrepareSharedVolumeForBackup(LPCWSTR lpszFileName, LPWSTR lpszVolumePathName,
                                                 LPDWORD lpcchVolumePathName, LPWSTR lpszVolumeName,
                                                 LPDWORD lpcchVolumeName);
DWORD WINAPI ClusterClearBackupStateForSharedVolume(LPCWSTR lpszVolumePathName);
#    ifdef __cplusplus
}
#    endif
#  endif /* _MSC_VER */

#else /* the simulated cluster (src/clussim/) */

#  include <stdint.h>

#  ifdef __cplusplus
extern "C" {
#  endif

#  define WINAPI
typedef uint32_t DWORD;
typedef DWORD *LPDWORD;
typedef int BOOL;
typedef uint16_t WCHAR; /* UTF-16 code unit, as on Windows */
typedef WCHAR *LPWSTR;
typedef const WCHAR *LPCWSTR;
typedef void *LPVOID;
typedef struct _HCLUSTER *HCLUSTER;
typedef struct _HNODE *HNODE;
typedef struct _HRESOURCE *HRESOURCE;
typedef struct _HCLUSENUM *HCLUSENUM;
typedef enum CLUSTER_RESOURCE_STATE { /* SDK ClusApi.h; mingw-w64 clusapi.h 227-229 */
                                      ClusterResourceStateUnknown = -1,
                                      ClusterResourceInherited = 0,
                                      ClusterResourceInitializing = 1,
                                      ClusterResourceOnline = 2,
                                      ClusterResourceOffline = 3,
                                      ClusterResourceFailed = 4,
                                      ClusterResourcePending = 128,
                                      ClusterResourceOnlinePending = 129,
                                      ClusterResourceOfflinePending = 130
} CLUSTER_RESOURCE_STATE;

/* ClusApi.h */
HCLUSTER WINAPI OpenCluster(LPCWSTR lpszClusterName);
BOOL WINAPI CloseCluster(HCLUSTER hCluster);
HRESOURCE WINAPI OpenClusterResource(HCLUSTER hCluster, LPCWSTR lpszResourceName);
BOOL WINAPI CloseClusterResource(HRESOURCE hResource);
DWORD WINAPI ClusterResourceControl(HRESOURCE hResource, HNODE hHostNode, DWORD dwControlCode,
                                    LPVOID lpInBuffer, DWORD cbInBufferSize, LPVOID lpOutBuffer,
                                    DWORD cbOutBufferSize, LPDWORD lpBytesReturned);
CLUSTER_RESOURCE_STATE WINAPI GetClusterResourceState(HRESOURCE hResource, LPWSTR lpszNodeName,
                                                      LPDWORD lpcchNodeName, LPWSTR lpszGroupName,
                                                      LPDWORD lpcchGroupName);
DWORD WINAPI OnlineClusterResource(HRESOURCE hResource);
DWORD WINAPI OfflineClusterResource(HRESOURCE hResource);
DWORD WINAPI ClusterControl(HCLUSTER hCluster, HNODE hHostNode, DWORD dwControlCode,
                            LPVOID lpInBuffer, DWORD nInBufferSize, LPVOID lpOutBuffer,
                            DWORD nOutBufferSize, LPDWORD lpBytesReturned);
HCLUSENUM WINAPI ClusterOpenEnum(HCLUSTER hCluster, DWORD dwType);
DWORD WINAPI ClusterEnum(HCLUSENUM hEnum, DWORD dwIndex, LPDWORD lpdwType, LPWSTR lpszName,
                         LPDWORD lpcchName);
DWORD WINAPI ClusterCloseEnum(HCLUSENUM hEnum);

/* ResApi.h */
BOOL WINAPI ClusterIsPathOnSharedVolume(LPCWSTR lpszPathName);
BOOL WINAPI ClusterGetVolumePathName(LPCWSTR lpszFileName, LPWSTR lpszVolumePathName,
                                     DWORD cchBufferLength);
BOOL WINAPI ClusterGetVolumeNameForVolumeMountPoint(LPCWSTR lpszVolumeMountPoint,
                                                    LPWSTR lpszVolumeName, DWORD cchBufferLength);
DWORD WINAPI ClusterPrepareSharedVolumeForBackup(LPCWSTR lpszFileName, LPWSTR lpszVolumePathName,
                                                 LPDWORD lpcchVolumePathName, LPWSTR lpszVolumeName,
                                                 LPDWORD lpcchVolumeName);
DWORD WINAPI ClusterClearBackupStateForSharedVolume(LPCWSTR lpszVolumePathName);

/* The calling thread's last error (the functions that return BOOL or a handle set it). */
DWORD WINAPI GetLastError(void);
void WINAPI SetLastError(DWORD dwErrCode);

#  ifdef __cplusplus
}
#  endif

#endif /* _WIN32 */

/* CLUSTER_ENUM_* values the core uses (SDK ClusApi.h; MSDOC "CLUSTER_ENUM enumeration";
 * mingw-w64 lacks the shared-volume ones). */
#define CSVB_CLUSTER_ENUM_NODE                   0x00000001u
#define CSVB_CLUSTER_ENUM_RESOURCE               0x00000004u
#define CSVB_CLUSTER_ENUM_SHARED_VOLUME_GROUP    0x20000000u
#define CSVB_CLUSTER_ENUM_SHARED_VOLUME_RESOURCE 0x40000000u

#endif /* CSVBACKUP_CLUSAPI_H */
