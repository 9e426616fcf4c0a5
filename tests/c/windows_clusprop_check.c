/* Cross-compiled for Windows with mingw-w64 by tests/c/test_windows_headers.py: every CLUSPROP
 * value csvbackup defines equals Windows' for the names mingw-w64's clusapi.h has (mingw's
 * header only compiles for _WIN32_WINNT < 0x0600, reference cluster-formats.md section 2.5). */
#define _WIN32_WINNT 0x0502
#include <windows.h>
#include <clusapi.h>

#include <csvbackup/clusprop.h>

#define CHECK_IF_1(cond, what) CSVB_STATIC_ASSERT(cond, what);
#define CHECK_IF_0(cond, what)
#define CHECK_TYPE(name, value, in_mingw) \
    CHECK_IF_##in_mingw(CLUSPROP_TYPE_##name == (value), "CLUSPROP_TYPE_" #name)
#define CHECK_FORMAT(name, value, in_mingw) \
    CHECK_IF_##in_mingw(CLUSPROP_FORMAT_##name == (value), "CLUSPROP_FORMAT_" #name)
#define CHECK_SYNTAX(name, value, in_mingw) \
    CHECK_IF_##in_mingw(CLUSPROP_SYNTAX_##name == (value), "CLUSPROP_SYNTAX_" #name)
CSVB_CLUSPROP_TYPE_LIST(CHECK_TYPE)
CSVB_CLUSPROP_FORMAT_LIST(CHECK_FORMAT)
CSVB_CLUSPROP_SYNTAX_LIST(CHECK_SYNTAX)

/* the macros agree with the SDK's */
CSVB_STATIC_ASSERT(CSVB_CLUSPROP_SYNTAX_VALUE(CLUSPROP_TYPE_LIST_VALUE, CLUSPROP_FORMAT_DWORD)
                       == CLUSPROP_SYNTAX_LIST_VALUE_DWORD,
                   "CLUSPROP_SYNTAX_VALUE");
CSVB_STATIC_ASSERT(CSVB_ALIGN_CLUSPROP(5) == ALIGN_CLUSPROP(5), "ALIGN_CLUSPROP");
CSVB_STATIC_ASSERT(sizeof(CLUSPROP_VALUE) == CSVB_CLUSPROP_HEADER_SIZE, "entry header");
CSVB_STATIC_ASSERT(sizeof(CLUSPROP_ULARGE_INTEGER) == 16, "8-byte values follow the header");

int main(void)
{
    /* "FixQuorum" name entry: cbLength counts the NUL, padding is zero */
    static const uint8_t entry[] = {0x03, 0x00, 0x04, 0x00, 20, 0, 0, 0};
    csvb_clusprop_entry e;
    return csvb_clusprop_read_entry(entry, sizeof entry, 0, &e) == CSVB_CLUSPROP_TRUNCATED_DATA ? 0
                                                                                                : 1;
}
