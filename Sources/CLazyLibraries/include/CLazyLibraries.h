#ifndef PROJQ_LAZY_LIBRARIES_H
#define PROJQ_LAZY_LIBRARIES_H
/* libzip, libxlsxwriter, libedit, expat and FreeXL, loaded on first use (lazy_libraries.c):
   their functions are declared by their own headers, through the CZip, CXLSXWriter, CLibEdit,
   CExpat and CFreeXL modules, and defined there. */

/* The address of one of libedit's functions, loading libedit first: for its variadic functions
   (el_set, el_get, history), which a definition could not forward. Exits with status 2 and a
   message naming the package when libedit cannot be loaded. */
void *projq_libedit_symbol(const char *name);
#endif
