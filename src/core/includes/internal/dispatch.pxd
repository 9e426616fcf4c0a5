# Declarations of src/kernels/dispatch.h (instruction-set dispatch). Declarations only.

cdef extern from "kernels/dispatch.h" nogil:
    int csvb_select_isa(const char *name)
    const char *csvb_kernel_isa()
    int csvb_specset_set_level(int lvl)
    int csvb_specset_level()
