# Build facts and instruction-set dispatch of the C kernels (src/kernels/dispatch.h).

def openmp_enabled():
    """True when the extension was built with OpenMP."""
    return csvb_openmp_enabled() != 0


def kernel_isa():
    """The instruction-set level whose kernel clones run."""
    return csvb_kernel_isa().decode("ascii")


def select_isa(str name):
    """Run the clones of level `name` ("auto" = the best the CPU has). False if refused.
    The file-spec row loops follow: their x86-64-v3 build at v3 and v4, else the baseline."""
    return csvb_select_isa(name.encode("ascii")) == 0


select_isa("auto")
