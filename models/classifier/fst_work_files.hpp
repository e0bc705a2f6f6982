// The working files of Verilator's FST writer (--rtl-fst), put beside its
// scratch FST and checked.
//
// The writer (GTKWave's fstapi, compiled into Verilator's verilated_fst_c.cpp)
// keeps four working files (the time table, the geometry, the value positions,
// the current values) that it makes with tmpfile(). glibc puts those in /tmp
// whatever $TMPDIR says, and the writer checks none of their writes: a write
// cut there left a well-formed FST short of changes, exit 0. So every
// executable that links trimode_fst_work_files (as trimode_classifier_rtl
// does) is linked with --wrap=tmpfile, and tmpfile() calls come here:
// between begin_fst_work_files(dir) and the end, each one makes its file in
// `dir` (unlinked at once: closing it releases it) and is remembered; outside,
// tmpfile() is the C library's.
//
// The writer also reads some files back through mmap() (the working files,
// and the hierarchy file it writes beside the FST): a file whose write was cut
// would be mapped past its end, and the first read there kills the process
// (SIGBUS). So mmap() is wrapped too (--wrap=mmap): from begin_fst_work_files()
// until end_fst_mappings(), a file shorter than the range asked for gets
// anonymous memory instead (the writer then writes nonsense into an FST that
// is thrown away) and the cut is reported by end_fst_mappings().
//
// Contract: single-threaded, and the writer not in its parallel mode
// (Verilator's --trace-threads), whose writer thread closes working files of
// its own accord; the model is verilated without it.
//
//   begin_fst_work_files(scratch_dir);
//   fst.open(scratch_dir + "/rtl.fst");   // its tmpfile()s land in scratch_dir
//   ... the run ...
//   std::string why = end_fst_work_files();  // before fst.close(), which closes them
//   fst.close();
//   std::string cut = end_fst_mappings();     // after it (its last mappings)
#pragma once

#include <string>

namespace trimode {

// From now on, tmpfile() makes its file in `dir`.
void begin_fst_work_files(const std::string& dir);
// Flushes every working file made since begin_fst_work_files (still open: call
// before the writer closes them) and forgets them: "" when every write reached
// its file, else the first failure ("File too large", "No space left on
// device"; "cannot make a working file in DIR: why" when one could not be made).
std::string end_fst_work_files();
// Forgets them without touching them (the writer failed to open and has
// closed whatever it made).
void drop_fst_work_files();
// Ends the mapping guard (after the writer has closed): "" when no file was
// mapped past its end, else what was cut.
std::string end_fst_mappings();

}  // namespace trimode
