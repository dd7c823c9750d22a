/* Libraries only some runs need, loaded when first used instead of at start-up.

   libzip (reading .xlsx workbooks) and libxlsxwriter (writing .xlsx reports) each bring
   OpenSSL's libcrypto with them, and the dynamic loader's relocation of those libraries cost
   every run of projq 2-3 ms before main() — more than a whole query on a snapshot — for
   features most runs never touch. So the binary does not link them: each function projq
   calls is defined here, with the library's own prototype (from its header, so the compiler
   checks the types), and resolves the real function with dlopen/dlsym on its first call.
   The Swift code calls them by their own names, as if linked.

   The same for libedit (with libtinfo, libbsd and libmd behind it: only the interactive shell
   edits lines), expat (the XML parts of an .xlsx) and FreeXL (.xls): loading and relocating
   those six libraries was a tenth of a run that opens a small folder and counts. libedit's
   variadic functions (el_set, el_get, history) cannot be forwarded by a definition here; the
   terminal's wrappers call them through their addresses (projq_el_set and the others).

   A library that is not installed ends projq with exit status 2 and a message naming the
   package, at the first use; never a crash. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>
#include <xlsxwriter.h>
#include <histedit.h>
#include <expat.h>
#include <freexl.h>
#include "CLazyLibraries.h"

struct lazy_library {
    const char *soname;
    const char *package;
    const char *needed_for;
    _Atomic(void *) handle;
};

static struct lazy_library zip_library = {"libzip.so.4", "libzip4", "reading .xlsx workbooks", NULL};
static struct lazy_library xlsxwriter_library = {"libxlsxwriter.so.4", "libxlsxwriter4", "writing .xlsx reports", NULL};
static struct lazy_library edit_library = {"libedit.so.2", "libedit2", "the interactive shell", NULL};
static struct lazy_library expat_library = {"libexpat.so.1", "libexpat1", "reading .xlsx workbooks", NULL};
static struct lazy_library freexl_library = {"libfreexl.so.1", "libfreexl1", "reading .xls workbooks", NULL};

static void missing(struct lazy_library *lib, const char *what) {
    char message[1024];
    int n = snprintf(message, sizeof message,
                     "error: %s needs %s (Debian package %s), which could not be loaded: %s\n",
                     lib->needed_for, lib->soname, lib->package, what ? what : "unknown reason");
    if (n > 0) (void)!write(2, message, (size_t)n < sizeof message ? (size_t)n : sizeof message - 1);
    exit(2);
}

static void *lazy_symbol(struct lazy_library *lib, const char *name) {
    void *handle = atomic_load(&lib->handle);
    if (handle == NULL) {
        /* Two threads may both open it: dlopen counts references, and both get the same handle. */
        handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
        if (handle == NULL) missing(lib, dlerror());
        atomic_store(&lib->handle, handle);
    }
    void *f = dlsym(handle, name);
    if (f == NULL) missing(lib, dlerror());
    return f;
}

/* The function pointer of `name`, resolved once (a race resolves it twice to the same value). */
#define LAZY(lib, name) \
    static _Atomic(__typeof__(name) *) pointer; \
    __typeof__(name) *f = atomic_load_explicit(&pointer, memory_order_acquire); \
    if (f == NULL) { \
        f = (__typeof__(name) *)lazy_symbol(&lib, #name); \
        atomic_store_explicit(&pointer, f, memory_order_release); \
    }

/* libzip */
void zip_discard(zip_t *archive) { LAZY(zip_library, zip_discard); f(archive); }
void zip_error_fini(zip_error_t *error) { LAZY(zip_library, zip_error_fini); f(error); }
void zip_error_init_with_code(zip_error_t *error, int code) { LAZY(zip_library, zip_error_init_with_code); f(error, code); }
const char *zip_error_strerror(zip_error_t *error) { LAZY(zip_library, zip_error_strerror); return f(error); }
int zip_fclose(zip_file_t *file) { LAZY(zip_library, zip_fclose); return f(file); }
const char *zip_file_strerror(zip_file_t *file) { LAZY(zip_library, zip_file_strerror); return f(file); }
zip_file_t *zip_fopen(zip_t *archive, const char *name, zip_flags_t flags) { LAZY(zip_library, zip_fopen); return f(archive, name, flags); }
zip_int64_t zip_fread(zip_file_t *file, void *buffer, zip_uint64_t length) { LAZY(zip_library, zip_fread); return f(file, buffer, length); }
zip_int64_t zip_name_locate(zip_t *archive, const char *name, zip_flags_t flags) { LAZY(zip_library, zip_name_locate); return f(archive, name, flags); }
zip_t *zip_open(const char *path, int flags, int *error) { LAZY(zip_library, zip_open); return f(path, flags, error); }
const char *zip_strerror(zip_t *archive) { LAZY(zip_library, zip_strerror); return f(archive); }

/* libxlsxwriter */
void format_set_font_size(lxw_format *format, double size) { LAZY(xlsxwriter_library, format_set_font_size); f(format, size); }
void format_set_bold(lxw_format *format) { LAZY(xlsxwriter_library, format_set_bold); f(format); }
void format_set_num_format(lxw_format *format, const char *num_format) { LAZY(xlsxwriter_library, format_set_num_format); f(format, num_format); }
void format_set_text_wrap(lxw_format *format) { LAZY(xlsxwriter_library, format_set_text_wrap); f(format); }
void format_set_bg_color(lxw_format *format, lxw_color_t color) { LAZY(xlsxwriter_library, format_set_bg_color); f(format, color); }
void format_set_border(lxw_format *format, uint8_t style) { LAZY(xlsxwriter_library, format_set_border); f(format, style); }
lxw_chart_series *chart_add_series(lxw_chart *chart, const char *categories, const char *values) { LAZY(xlsxwriter_library, chart_add_series); return f(chart, categories, values); }
void chart_series_set_name(lxw_chart_series *series, const char *name) { LAZY(xlsxwriter_library, chart_series_set_name); f(series, name); }
void chart_series_set_labels(lxw_chart_series *series) { LAZY(xlsxwriter_library, chart_series_set_labels); f(series); }
void chart_series_set_labels_options(lxw_chart_series *series, uint8_t show_name, uint8_t show_category, uint8_t show_value) { LAZY(xlsxwriter_library, chart_series_set_labels_options); f(series, show_name, show_category, show_value); }
void chart_axis_set_name(lxw_chart_axis *axis, const char *name) { LAZY(xlsxwriter_library, chart_axis_set_name); f(axis, name); }
void chart_title_set_name(lxw_chart *chart, const char *name) { LAZY(xlsxwriter_library, chart_title_set_name); f(chart, name); }
void chart_legend_set_position(lxw_chart *chart, uint8_t position) { LAZY(xlsxwriter_library, chart_legend_set_position); f(chart, position); }
char *lxw_strerror(lxw_error error_num) { LAZY(xlsxwriter_library, lxw_strerror); return f(error_num); }
lxw_error worksheet_write_number(lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col, double number, lxw_format *format) { LAZY(xlsxwriter_library, worksheet_write_number); return f(worksheet, row, col, number, format); }
lxw_error worksheet_write_string(lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col, const char *string, lxw_format *format) { LAZY(xlsxwriter_library, worksheet_write_string); return f(worksheet, row, col, string, format); }
lxw_error worksheet_write_boolean(lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col, int value, lxw_format *format) { LAZY(xlsxwriter_library, worksheet_write_boolean); return f(worksheet, row, col, value, format); }
lxw_error worksheet_write_blank(lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col, lxw_format *format) { LAZY(xlsxwriter_library, worksheet_write_blank); return f(worksheet, row, col, format); }
lxw_error worksheet_set_column(lxw_worksheet *worksheet, lxw_col_t first_col, lxw_col_t last_col, double width, lxw_format *format) { LAZY(xlsxwriter_library, worksheet_set_column); return f(worksheet, first_col, last_col, width, format); }
lxw_error worksheet_insert_chart(lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col, lxw_chart *chart) { LAZY(xlsxwriter_library, worksheet_insert_chart); return f(worksheet, row, col, chart); }
void worksheet_freeze_panes(lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col) { LAZY(xlsxwriter_library, worksheet_freeze_panes); f(worksheet, row, col); }
lxw_workbook *workbook_new(const char *filename) { LAZY(xlsxwriter_library, workbook_new); return f(filename); }
lxw_worksheet *workbook_add_worksheet(lxw_workbook *workbook, const char *sheetname) { LAZY(xlsxwriter_library, workbook_add_worksheet); return f(workbook, sheetname); }
lxw_format *workbook_add_format(lxw_workbook *workbook) { LAZY(xlsxwriter_library, workbook_add_format); return f(workbook); }
lxw_chart *workbook_add_chart(lxw_workbook *workbook, uint8_t chart_type) { LAZY(xlsxwriter_library, workbook_add_chart); return f(workbook, chart_type); }
lxw_error workbook_close(lxw_workbook *workbook) { LAZY(xlsxwriter_library, workbook_close); return f(workbook); }

/* libedit */
EditLine *el_init(const char *program, FILE *in, FILE *out, FILE *err) { LAZY(edit_library, el_init); return f(program, in, out, err); }
void el_end(EditLine *el) { LAZY(edit_library, el_end); f(el); }
void el_reset(EditLine *el) { LAZY(edit_library, el_reset); f(el); }
const char *el_gets(EditLine *el, int *count) { LAZY(edit_library, el_gets); return f(el, count); }
const LineInfo *el_line(EditLine *el) { LAZY(edit_library, el_line); return f(el); }
int el_insertstr(EditLine *el, const char *text) { LAZY(edit_library, el_insertstr); return f(el, text); }
History *history_init(void) { LAZY(edit_library, history_init); return f(); }
void history_end(History *h) { LAZY(edit_library, history_end); f(h); }
/* The variadic three, which a definition here could not forward: their addresses, resolved
   once like the others. */
projq_el_set_function *projq_el_set(void) { LAZY(edit_library, el_set); return f; }
projq_el_set_function *projq_el_get(void) { LAZY(edit_library, el_get); return f; }
projq_history_function *projq_history(void) { LAZY(edit_library, history); return f; }

/* expat */
XML_Parser XML_ParserCreate(const XML_Char *encoding) { LAZY(expat_library, XML_ParserCreate); return f(encoding); }
void XML_ParserFree(XML_Parser parser) { LAZY(expat_library, XML_ParserFree); f(parser); }
void XML_SetUserData(XML_Parser parser, void *data) { LAZY(expat_library, XML_SetUserData); f(parser, data); }
void XML_SetElementHandler(XML_Parser parser, XML_StartElementHandler start, XML_EndElementHandler end) { LAZY(expat_library, XML_SetElementHandler); f(parser, start, end); }
void XML_SetCharacterDataHandler(XML_Parser parser, XML_CharacterDataHandler handler) { LAZY(expat_library, XML_SetCharacterDataHandler); f(parser, handler); }
enum XML_Status XML_Parse(XML_Parser parser, const char *s, int len, int isFinal) { LAZY(expat_library, XML_Parse); return f(parser, s, len, isFinal); }
enum XML_Status XML_StopParser(XML_Parser parser, XML_Bool resumable) { LAZY(expat_library, XML_StopParser); return f(parser, resumable); }
enum XML_Error XML_GetErrorCode(XML_Parser parser) { LAZY(expat_library, XML_GetErrorCode); return f(parser); }
XML_Size XML_GetCurrentLineNumber(XML_Parser parser) { LAZY(expat_library, XML_GetCurrentLineNumber); return f(parser); }
const XML_LChar *XML_ErrorString(enum XML_Error code) { LAZY(expat_library, XML_ErrorString); return f(code); }

/* FreeXL */
int freexl_open(const char *path, const void **handle) { LAZY(freexl_library, freexl_open); return f(path, handle); }
int freexl_close(const void *handle) { LAZY(freexl_library, freexl_close); return f(handle); }
int freexl_get_info(const void *handle, unsigned short what, unsigned int *info) { LAZY(freexl_library, freexl_get_info); return f(handle, what, info); }
int freexl_get_worksheet_name(const void *handle, unsigned short index, const char **name) { LAZY(freexl_library, freexl_get_worksheet_name); return f(handle, index, name); }
int freexl_select_active_worksheet(const void *handle, unsigned short index) { LAZY(freexl_library, freexl_select_active_worksheet); return f(handle, index); }
int freexl_worksheet_dimensions(const void *handle, unsigned int *rows, unsigned short *columns) { LAZY(freexl_library, freexl_worksheet_dimensions); return f(handle, rows, columns); }
int freexl_get_cell_value(const void *handle, unsigned int row, unsigned short column, FreeXL_CellValue *value) { LAZY(freexl_library, freexl_get_cell_value); return f(handle, row, column, value); }
