#include "interrupt_guard.hpp"

namespace syn::python {

namespace {

volatile std::sig_atomic_t* watched = nullptr;
volatile std::sig_atomic_t received = 0;

extern "C" void on_interrupt(int) {
  received = 1;
  if (watched) *watched = 1;
}

}  // namespace

interrupt_guard::interrupt_guard(volatile std::sig_atomic_t& flag, bool main_thread) {
  flag = 0;
  if (!main_thread || watched) return;
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  // Ignored, or left to the system (it ends the process), SIGINT stays as the program set it.
  if (sigaction(SIGINT, nullptr, &before_) != 0 || before_.sa_handler == SIG_IGN ||
      before_.sa_handler == SIG_DFL)
    return;
  received = 0;
  watched = &flag;
  installed_ = sigaction(SIGINT, &action, nullptr) == 0;
  if (!installed_) watched = nullptr;
}

interrupt_guard::~interrupt_guard() {
  if (!installed_) return;
  sigaction(SIGINT, &before_, nullptr);
  watched = nullptr;
}

bool interrupt_guard::interrupted() const { return installed_ && received; }

}  // namespace syn::python
