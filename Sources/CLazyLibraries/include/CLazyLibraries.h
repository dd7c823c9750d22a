#ifndef PROJQ_LAZY_LIBRARIES_H
#define PROJQ_LAZY_LIBRARIES_H
/* libzip and libxlsxwriter, loaded on first use (lazy_libraries.c): their functions are
   declared by their own headers, through the CZip and CXLSXWriter modules, and defined there. */
#endif
