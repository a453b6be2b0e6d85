/* report.c - the five output formats (see report.h). */
#include "report.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct totals report_totals(const struct report *rep)
{
	struct totals t = { 0 };
	for (size_t i = 0; i < rep->n; i++) {
		const struct check_result *r = &rep->results[i];
		int points = rep->checks[i]->points;
		switch (r->outcome) {
		case OUT_PASS:
			t.passed++;
			t.score += points;
			t.max += points;
			break;
		case OUT_FAIL:
			t.failed++;
			t.max += points;
			break;
		case OUT_SKIP:
			t.skipped++;
			t.max += points;
			break;
		case OUT_ENV:
			t.env++;
			break;
		case OUT_PENDING:
			t.pending++;
			t.max += points;
			break;
		}
	}
	return t;
}

static const char *word(enum outcome o)
{
	switch (o) {
	case OUT_PASS:
		return "PASS";
	case OUT_FAIL:
		return "FAIL";
	case OUT_SKIP:
		return "SKIP";
	case OUT_ENV:
		return "ENV";
	case OUT_PENDING:
		break;
	}
	return "----";
}

/* Print text indented, one line at a time. */
static void indented(FILE *out, const char *prefix, const char *text)
{
	for (const char *p = text; p && *p;) {
		size_t n = strcspn(p, "\n");
		fprintf(out, "%s%.*s\n", prefix, (int)n, p);
		p += n + (p[n] == '\n');
	}
}

static void write_human(const struct report *rep, FILE *out)
{
	fprintf(out, "podlab-check: %s, graded as %s\n\n", rep->target, rep->user);
	for (size_t i = 0; i < rep->n; i++) {
		const struct check *c = rep->checks[i];
		const struct check_result *r = &rep->results[i];
		if (r->outcome == OUT_ENV)
			fprintf(out, "  %-4s  %-28s %-62s   -\n", word(r->outcome), c->id, c->title);
		else
			fprintf(out, "  %-4s  %-28s %-62s %d/%d\n", word(r->outcome), c->id, c->title,
				r->outcome == OUT_PASS ? c->points : 0, c->points);
		if (r->outcome == OUT_FAIL || r->outcome == OUT_SKIP || r->outcome == OUT_ENV) {
			indented(out, "          ", r->message);
			if (r->outcome == OUT_FAIL && c->hint && c->hint[0])
				fprintf(out, "          hint: %s\n", c->hint);
		}
	}
	struct totals t = report_totals(rep);
	fprintf(out, "\nScore: %d/%d", t.score, t.max);
	if (t.env)
		fprintf(out, "  (%d check%s not graded: this machine cannot run %s; see ENV above)", t.env,
			t.env == 1 ? "" : "s", t.env == 1 ? "it" : "them");
	fputc('\n', out);
	if (rep->note)
		fprintf(out, "Note: %s\n", rep->note);
}

/* YAML block scalar lines inside a TAP diagnostic. */
static void tap_block(FILE *out, const char *key, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	fprintf(out, "  %s: |\n", key);
	indented(out, "    ", text);
}

static void write_tap(const struct report *rep, FILE *out)
{
	fprintf(out, "TAP version 13\n1..%zu\n", rep->n);
	for (size_t i = 0; i < rep->n; i++) {
		const struct check *c = rep->checks[i];
		const struct check_result *r = &rep->results[i];
		switch (r->outcome) {
		case OUT_PASS:
			fprintf(out, "ok %zu - %s: %s\n", i + 1, c->id, c->title);
			break;
		case OUT_ENV:
			/* Not the student's fault: a TAP skip, which costs nothing. */
			fprintf(out, "ok %zu - %s: %s # SKIP environment: %.*s\n", i + 1, c->id, c->title,
				(int)strcspn(r->message, "\n"), r->message);
			break;
		default:
			/* Failed, or not run because a prerequisite failed: both lose
			 * the points, so both are "not ok". */
			fprintf(out, "not ok %zu - %s: %s\n", i + 1, c->id, c->title);
			fprintf(out, "  ---\n  points: 0/%d\n", c->points);
			tap_block(out, "message", r->message);
			if (r->outcome == OUT_FAIL)
				tap_block(out, "hint", c->hint && c->hint[0] ? c->hint : NULL);
			tap_block(out, "output", r->output);
			fprintf(out, "  ...\n");
		}
	}
	struct totals t = report_totals(rep);
	fprintf(out, "# Score: %d/%d\n", t.score, t.max);
}

static void xml_escaped(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		switch (ch) {
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		default:
			/* XML 1.0 forbids most control characters, even escaped. */
			if (ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r')
				fputc('?', out);
			else
				fputc(ch, out);
		}
	}
}

static void write_junit(const struct report *rep, FILE *out)
{
	struct totals t = report_totals(rep);
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(out, "<testsuites name=\"podlab-check\" tests=\"%zu\" failures=\"%d\" skipped=\"%d\" time=\"%.3f\">\n",
		rep->n, t.failed + t.skipped + t.pending, t.env, rep->seconds);
	fprintf(out, "  <testsuite name=\"");
	xml_escaped(out, rep->target);
	fprintf(out, "\" tests=\"%zu\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"%.3f\">\n", rep->n,
		t.failed + t.skipped + t.pending, t.env, rep->seconds);
	fprintf(out, "    <properties><property name=\"score\" value=\"%d\"/><property name=\"max_score\" "
		     "value=\"%d\"/></properties>\n",
		t.score, t.max);
	for (size_t i = 0; i < rep->n; i++) {
		const struct check *c = rep->checks[i];
		const struct check_result *r = &rep->results[i];
		fprintf(out, "    <testcase classname=\"podlab.stage%.2s\" name=\"", c->id);
		xml_escaped(out, c->id);
		fprintf(out, ": ");
		xml_escaped(out, c->title);
		fprintf(out, "\" time=\"%.3f\">\n", r->seconds);
		if (r->outcome == OUT_ENV) {
			fprintf(out, "      <skipped message=\"");
			xml_escaped(out, r->message);
			fprintf(out, "\"/>\n");
		} else if (r->outcome != OUT_PASS) {
			fprintf(out, "      <failure type=\"%s\" message=\"",
				r->outcome == OUT_SKIP ? "prerequisite" : r->outcome == OUT_PENDING ? "not-run" : "check");
			xml_escaped(out, r->message);
			fprintf(out, "\">");
			xml_escaped(out, r->message);
			if (r->outcome == OUT_FAIL && c->hint && c->hint[0]) {
				fputs("\nhint: ", out);
				xml_escaped(out, c->hint);
			}
			fprintf(out, "</failure>\n");
		}
		if (r->output[0]) {
			fprintf(out, "      <system-out>");
			xml_escaped(out, r->output);
			fprintf(out, "</system-out>\n");
		}
		fprintf(out, "    </testcase>\n");
	}
	fprintf(out, "  </testsuite>\n</testsuites>\n");
}

static char *check_text(const struct check *c, const struct check_result *r)
{
	char *s = NULL;
	bool hint = r->outcome == OUT_FAIL && c->hint != NULL && c->hint[0];
	if (asprintf(&s, "%s%s%s%s%s", r->message, hint ? "\nhint: " : "", hint ? c->hint : "",
		     r->output[0] ? "\n\noutput:\n" : "", r->output) < 0)
		return NULL;
	return s;
}

static void write_gradescope(const struct report *rep, FILE *out)
{
	struct totals t = report_totals(rep);
	json_object *root = json_object_new_object();
	json_object_object_add(root, "score", json_object_new_int(t.score));
	json_object_object_add(root, "execution_time", json_object_new_double(rep->seconds));
	char summary[1024];
	snprintf(summary, sizeof summary, "podlab-check graded %s: %d/%d points.%s%s%s", rep->target, t.score, t.max,
		 t.env ? " Some checks could not run on the grading machine and cost nothing." : "",
		 rep->note ? " " : "", rep->note ? rep->note : "");
	json_object_object_add(root, "output", json_object_new_string(summary));
	json_object_object_add(root, "visibility", json_object_new_string("visible"));
	json_object_object_add(root, "stdout_visibility", json_object_new_string("visible"));
	json_object *tests = json_object_new_array();
	for (size_t i = 0; i < rep->n; i++) {
		const struct check *c = rep->checks[i];
		const struct check_result *r = &rep->results[i];
		json_object *tc = json_object_new_object();
		char name[256];
		snprintf(name, sizeof name, "%s%s: %s", r->outcome == OUT_ENV ? "[not graded] " : "", c->id, c->title);
		json_object_object_add(tc, "name", json_object_new_string(name));
		json_object_object_add(tc, "number", json_object_new_string(c->id));
		json_object_object_add(tc, "score", json_object_new_int(r->outcome == OUT_PASS ? c->points : 0));
		json_object_object_add(tc, "max_score", json_object_new_int(r->outcome == OUT_ENV ? 0 : c->points));
		if (r->outcome != OUT_ENV)
			json_object_object_add(tc, "status",
					       json_object_new_string(r->outcome == OUT_PASS ? "passed" : "failed"));
		char *text = r->outcome == OUT_PENDING ? strdup("not run: grading was cut short") : check_text(c, r);
		json_object_object_add(tc, "output", json_object_new_string(text ? text : ""));
		free(text);
		json_object_object_add(tc, "visibility", json_object_new_string("visible"));
		json_object_array_add(tests, tc);
	}
	json_object_object_add(root, "tests", tests);
	fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE), out);
	fputc('\n', out);
	json_object_put(root);
}

static void write_classroom(const struct report *rep, FILE *out)
{
	struct totals t = report_totals(rep);
	json_object *root = json_object_new_object();
	json_object_object_add(root, "version", json_object_new_int(1));
	json_object_object_add(root, "status", json_object_new_string(t.pending ? "error"
								       : t.failed || t.skipped ? "fail"
												 : "pass"));
	json_object_object_add(root, "max_score", json_object_new_int(t.max));
	json_object *tests = json_object_new_array();
	for (size_t i = 0; i < rep->n; i++) {
		const struct check *c = rep->checks[i];
		const struct check_result *r = &rep->results[i];
		/* A check the machine could not run is left out: Classroom has no
		 * "not graded" state, and it must not cost the student points. */
		if (r->outcome == OUT_ENV)
			continue;
		json_object *tc = json_object_new_object();
		char name[256];
		snprintf(name, sizeof name, "%s: %s", c->id, c->title);
		json_object_object_add(tc, "name", json_object_new_string(name));
		json_object_object_add(tc, "status", json_object_new_string(r->outcome == OUT_PASS	 ? "pass"
									    : r->outcome == OUT_PENDING ? "error"
													 : "fail"));
		char *text = check_text(c, r);
		json_object_object_add(tc, "message", json_object_new_string(text ? text : ""));
		free(text);
		json_object_object_add(tc, "test_code", json_object_new_string(c->id));
		json_object_object_add(tc, "filename", json_object_new_string(""));
		json_object_object_add(tc, "line_no", json_object_new_int(0));
		char secs[32];
		snprintf(secs, sizeof secs, "%.2fs", r->seconds);
		json_object_object_add(tc, "execution_time", json_object_new_string(secs));
		json_object_object_add(tc, "score", json_object_new_int(r->outcome == OUT_PASS ? c->points : 0));
		json_object_array_add(tests, tc);
	}
	json_object_object_add(root, "tests", tests);
	fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE), out);
	fputc('\n', out);
	json_object_put(root);
}

int report_write(const struct report *rep, const char *format, FILE *out)
{
	if (strcmp(format, "human") == 0)
		write_human(rep, out);
	else if (strcmp(format, "tap") == 0)
		write_tap(rep, out);
	else if (strcmp(format, "junit") == 0)
		write_junit(rep, out);
	else if (strcmp(format, "gradescope") == 0)
		write_gradescope(rep, out);
	else if (strcmp(format, "classroom") == 0)
		write_classroom(rep, out);
	else
		return -1;
	return 0;
}

int report_write_file(const struct report *rep, const char *format, const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid());
	FILE *out = fopen(tmp, "w");
	if (out == NULL)
		return -1;
	int rc = report_write(rep, format, out);
	if (fclose(out) != 0 || rc < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}
