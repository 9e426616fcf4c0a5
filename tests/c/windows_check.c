/* Cross-compiled for Windows with mingw-w64 by tests/c/test_windows_headers.py.
 *
 * With the real headers (default on _WIN32), every value of csvbackup's lists must equal the
 * constant Windows' <vss.h> defines; with -DCSVBACKUP_NO_WINDOWS_HEADERS, csvbackup's own
 * definitions must compile for Windows too. Either way the kernel compiles and links. */
#include <csvbackup/vss.h>

#define CHECK_VALUE(name, value) CSVB_STATIC_ASSERT((name) == (value), #name);
CSVB_VSS_FILE_SPEC_BACKUP_TYPE_LIST(CHECK_VALUE)
CSVB_VSS_BACKUP_TYPE_LIST(CHECK_VALUE)
CSVB_VSS_BACKUP_SCHEMA_LIST(CHECK_VALUE)
CSVB_STATIC_ASSERT(sizeof(VSS_FILE_SPEC_BACKUP_TYPE) == 4, "enum is a 32-bit int");
CSVB_STATIC_ASSERT(sizeof(VSS_BACKUP_SCHEMA) == 4, "enum is a 32-bit int");

int main(void)
{
    uint32_t masks[3] = {VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED, 0x808, 0};
    uint8_t out[3];
    csvb_classify_args a = {0};
    a.masks = masks;
    a.out = out;
    a.type = VSS_BT_FULL;
    a.since = CSVB_NO_TIME;
    return csvb_classify_span(&a, 0, 3) == 0 && out[0] == 3 && out[1] == 0 ? 0 : 1;
}
