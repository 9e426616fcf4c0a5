/* Cross-compiled for Windows with mingw-w64 by tests/c/test_windows_headers.py: every Win32 code
 * of include/csvbackup/win32_errors.h that mingw-w64's winerror.h names has Windows' value,
 * and the CSVB_ enumerators carry the listed values next to <windows.h>'s macros. */
#include <windows.h>
#include <winerror.h>

#include <csvbackup/platform.h>
#include <csvbackup/win32_errors.h>

#define CHECK_IF_1(cond, what) CSVB_STATIC_ASSERT(cond, what);
#define CHECK_IF_0(cond, what)
#define CHECK_CODE(name, value, in_mingw) \
    CHECK_IF_##in_mingw((long)name == (value) && CSVB_##name == (value), #name)
CSVB_WIN32_ERROR_LIST(CHECK_CODE)

int main(void)
{
    return CSVB_ERROR_INVALID_DATA == ERROR_INVALID_DATA ? 0 : 1;
}
