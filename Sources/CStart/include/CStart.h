#ifndef PROJQ_CSTART_H
#define PROJQ_CSTART_H
/* What projq does before main() and before the Swift runtime starts (huge_page_heap.c, a
   constructor): nothing to call. The executable depends on this target to link it. */
#endif
