/* write.h - internals shared by the writers of src/write/ (exports). */
#ifndef CK_WRITE_H
#define CK_WRITE_H
#include "cablekit.h"

/* CSV (RFC 4180): the header row, and one row per cable; CRLF ends. */
void ck_csv_header(ck_buf *out);
void ck_cable_write_csv(ck_buf *out, const ck_cable *c);

/* Elasticsearch/OpenSearch _bulk: the action line and the flat document
 * of one cable (the fields of ck_export_mapping()). */
void ck_cable_write_bulk(ck_buf *out, const ck_cable *c);

/* GraphML of the citation graph. */
typedef struct ck_graphml ck_graphml;
/* in_archive(id, canon, ctx) says whether a cited id is a cable of the
 * archive (and writes its canonical id into canon, 64 bytes): 0 outside
 * the archive, 1 in the archive and in the export, 2 in the archive but
 * not among the exported cables (a query's export); NULL: every cited
 * cable is taken to be outside. */
typedef int (*ck_in_archive_fn)(const char *id, char *canon, void *ctx);
ck_graphml *ck_graphml_new(ck_in_archive_fn fn, void *ctx);
void ck_graphml_begin(ck_graphml *g, ck_buf *out);
void ck_graphml_cable(ck_graphml *g, ck_buf *out, const ck_cable *c);
/* The parts of ck_graphml_cable: a node with its data; an edge (inside:
 * 0 target outside the archive, 1 a node of the export, 2 an archive cable
 * outside the export), declaring the target once when it is no node. */
void ck_graphml_node(ck_graphml *g, ck_buf *out, const char *id, const char *date,
		     const char *origin, const char *marking, const char *subject);
void ck_graphml_edge(ck_graphml *g, ck_buf *out, const char *source, const char *target,
		     int inside, const char *label, const char *text);
void ck_graphml_end(ck_graphml *g, ck_buf *out);
/* The person-cable graph (export "graphml-people"): its prolog, and one
 * cable's node with a node per person not yet written and an edge person
 * -> cable labelled with the roles; closed by ck_graphml_end(). */
void ck_graphml_people_begin(ck_graphml *g, ck_buf *out);
void ck_graphml_people_cable(ck_graphml *g, ck_buf *out, const ck_cable *c);
void ck_graphml_free(ck_graphml *g);

/* XML text escaping (& < > " '), dropping characters XML 1.0 forbids. */
void ck_xml_str(ck_buf *out, const char *s);
#endif
