# Declarations of include/csvbackup/clusapi.h: the ClusAPI / ResUtils subset, answered by the
# real DLLs on Windows and by src/clussim/ elsewhere.
# The typedefs are extern: the C compiler uses Windows' or the portable ones.
from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t, int64_t

cdef extern from "csvbackup/clusapi.h" nogil:
    ctypedef uint32_t DWORD
    ctypedef uint16_t WCHAR
    ctypedef int BOOL
    ctypedef struct _HCLUSTER
    ctypedef struct _HRESOURCE
    ctypedef struct _HCLUSENUM
    ctypedef _HCLUSTER *HCLUSTER
    ctypedef _HRESOURCE *HRESOURCE
    ctypedef _HCLUSENUM *HCLUSENUM
    ctypedef void *HNODE
    ctypedef int CLUSTER_RESOURCE_STATE
    const CLUSTER_RESOURCE_STATE ClusterResourceStateUnknown

    HCLUSTER OpenCluster(const WCHAR *name)
    BOOL CloseCluster(HCLUSTER h)
    HRESOURCE OpenClusterResource(HCLUSTER h, const WCHAR *name)
    BOOL CloseClusterResource(HRESOURCE h)
    CLUSTER_RESOURCE_STATE GetClusterResourceState(HRESOURCE h, WCHAR *node, DWORD *cch_node,
                                                   WCHAR *group, DWORD *cch_group)
    DWORD OnlineClusterResource(HRESOURCE h)
    DWORD OfflineClusterResource(HRESOURCE h)
    DWORD ClusterResourceControl(HRESOURCE h, HNODE node, DWORD code, void *inp, DWORD cb_in,
                                 void *out, DWORD cb_out, DWORD *returned)
    DWORD ClusterControl(HCLUSTER h, HNODE node, DWORD code, void *inp, DWORD cb_in,
                         void *out, DWORD cb_out, DWORD *returned)
    HCLUSENUM ClusterOpenEnum(HCLUSTER h, DWORD type)
    DWORD ClusterEnum(HCLUSENUM e, DWORD index, DWORD *type, WCHAR *name, DWORD *cch)
    DWORD ClusterCloseEnum(HCLUSENUM e)
    BOOL ClusterIsPathOnSharedVolume(const WCHAR *path)
    BOOL ClusterGetVolumePathName(const WCHAR *path, WCHAR *out, DWORD cch)
    BOOL ClusterGetVolumeNameForVolumeMountPoint(const WCHAR *mount_point, WCHAR *out, DWORD cch)
    DWORD ClusterPrepareSharedVolumeForBackup(const WCHAR *path, WCHAR *volume_path,
                                              DWORD *cch_volume_path, WCHAR *volume_name,
                                              DWORD *cch_volume_name)
    DWORD ClusterClearBackupStateForSharedVolume(const WCHAR *volume_path)
    DWORD GetLastError()
    void SetLastError(DWORD code)

    const DWORD CSVB_CLUSTER_ENUM_NODE
    const DWORD CSVB_CLUSTER_ENUM_RESOURCE
    const DWORD CSVB_CLUSTER_ENUM_SHARED_VOLUME_RESOURCE
