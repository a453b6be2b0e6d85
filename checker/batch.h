/* batch.h - instructor mode: grade every submission in a directory. */
#ifndef PODLAB_CHECK_BATCH_H
#define PODLAB_CHECK_BATCH_H

/* Grade each subdirectory of `dir` with a podlab-check of its own (this
 * program, given `args` plus the submission), at most `workers` at a
 * time.  Writes OUT/NAME/results.json (Gradescope's format), OUT/NAME/
 * log.txt and OUT/gradebook.csv.  Returns 0 when every submission was
 * graded (whatever its score), 2 when some could not be. */
int batch_run(const char *dir, int workers, char *const *args, const char *out);

#endif
