/* posts.h - what posts.c offers the rest of the library beyond
 * include/cablekit.h (internal: hidden from the shared library). */
#ifndef CK_PARSE_POSTS_H
#define CK_PARSE_POSTS_H
/* The place of a FM address without its office word ("AMEMBASSY THE
 * HAGUE" -> "THE HAGUE", "USDEL SECRETARY" -> "SECRETARY"); plad itself
 * when it starts with none.  posts.c holds the one list of office words. */
const char *ck_post_place_(const char *plad);
#endif
