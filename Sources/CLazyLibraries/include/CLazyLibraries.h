#ifndef PROJQ_LAZY_LIBRARIES_H
#define PROJQ_LAZY_LIBRARIES_H
/* libzip, libxlsxwriter, libedit, expat and FreeXL, loaded on first use (lazy_libraries.c):
   their functions are declared by their own headers, through the CZip, CXLSXWriter, CLibEdit,
   CExpat and CFreeXL modules, and defined there. */

/* libedit's variadic functions (el_set, el_get, history), which a definition could not
   forward: their addresses, libedit loaded first (exit status 2 and a message naming the package
   when it cannot be). Declared only where histedit.h is included before this header (the
   terminal's C side), so that the modules that read workbooks do not see libedit's types. */
#ifdef _HISTEDIT_H_
typedef int projq_el_set_function(EditLine *, int, ...);
typedef int projq_history_function(History *, HistEvent *, int, ...);
projq_el_set_function *projq_el_set(void);
projq_el_set_function *projq_el_get(void);
projq_history_function *projq_history(void);
#endif
#endif
