#pragma once

// Ctrl-C during a run, as the REPL takes it: while a guard lives, SIGINT sets the session's flag,
// which the run checks between its slices and stops at a consistent state. Python's own handler
// cannot run then (the run holds no GIL); the caller delivers the signal to it afterwards
// (PyErr_SetInterrupt), so that Python raises KeyboardInterrupt, or does what its handler says.
// A guard on any thread but the main one, which receives Python's signals, changes nothing; nor
// does one when the program ignores SIGINT or leaves it to the system (signal.SIG_DFL).

#include <signal.h>

#include <csignal>

namespace syn::python {

class interrupt_guard {
 public:
  interrupt_guard(volatile std::sig_atomic_t& flag, bool main_thread);
  ~interrupt_guard();
  interrupt_guard(const interrupt_guard&) = delete;
  interrupt_guard& operator=(const interrupt_guard&) = delete;

  // Whether SIGINT came while the guard lived.
  bool interrupted() const;

 private:
  bool installed_ = false;
  struct sigaction before_ {};
};

}  // namespace syn::python
