// The extension module syn._syn: hosted_model for Python, with NumPy arrays for the records,
// syn.ModelError for what fails, warnings as Python warnings, the GIL released while the engine
// runs and Ctrl-C stopping a run. The package (syn/__init__.py) adds load() and the exception.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>

#include "hosted_model.hpp"
#include "interrupt_guard.hpp"
#include "model_error.hpp"

namespace py = pybind11;
using syn::python::hosted_model;
using syn::python::model_error;
using syn::python::model_options;

namespace {

// The standard library: the source tree's, for the module in the build tree; the one installed
// with the package (syn/stdlib), which syn/__init__.py gives.
std::filesystem::path package_stdlib = SYN_SOURCE_STDLIB;

py::object package_attribute(const char* name) { return py::module_::import("syn").attr(name); }

bool on_main_thread() {
  return py::module_::import("threading")
             .attr("main_thread")()
             .attr("ident")
             .cast<unsigned long>() == PyThread_get_thread_ident();
}

template <typename T>
py::array_t<T> array_of(const std::vector<T>& values) {
  return py::array_t<T>(static_cast<py::ssize_t>(values.size()), values.data());
}

// A model and the lock that keeps two Python threads from driving it at once (the GIL is
// released while it runs).
class model {
 public:
  // `settings` in the dict's order, as --set options in theirs.
  model(std::optional<std::uint64_t> seed, std::vector<std::filesystem::path> include,
        const py::dict& settings) {
    model_options options{seed, std::move(include), {}, package_stdlib};
    for (const auto& [name, value] : settings) {
      if (!py::isinstance<py::str>(name) || !py::isinstance<py::str>(value))
        throw py::type_error("set= takes names and quantities as text: {\"w_inh\": \"3 mV\"}");
      options.settings.emplace_back(name.cast<std::string>(), value.cast<std::string>());
    }
    hosted_ = std::make_unique<hosted_model>(std::move(options));
  }

  // `f` on the model without the GIL (it may run the engine, or replay the simulation after the
  // network changed), SIGINT stopping a run; then its warnings, and KeyboardInterrupt (or the
  // program's SIGINT handler) when SIGINT came.
  template <typename F>
  auto call(F&& f) {
    const std::unique_lock lock = busy_lock();
    using result_type = std::invoke_result_t<F, hosted_model&>;
    if constexpr (std::is_void_v<result_type>) {
      finish(released(f));
    } else {
      std::optional<result_type> result;
      finish(released([&](hosted_model& h) { result.emplace(f(h)); }));
      return std::move(*result);
    }
  }

 private:
  // f on the model without the GIL, SIGINT stopping a run; whether SIGINT came.
  template <typename F>
  bool released(F&& f) {
    syn::python::interrupt_guard guard(hosted_->interrupt_flag(), on_main_thread());
    {
      py::gil_scoped_release release;
      f(*hosted_);
    }
    return guard.interrupted();
  }

  // After a call: its warnings, and KeyboardInterrupt (or the program's SIGINT handler) when
  // SIGINT came.
  void finish(bool interrupted) {
    warn();
    if (!interrupted) return;
    PyErr_SetInterrupt();
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
  }

  std::unique_lock<std::mutex> busy_lock() {
    std::unique_lock lock(busy_, std::try_to_lock);
    if (!lock.owns_lock())
      throw std::runtime_error("this model is busy in another thread: one call at a time");
    return lock;
  }

  void warn() {
    const std::string text = hosted_->take_warnings();
    if (text.empty()) return;
    if (PyErr_WarnEx(package_attribute("ModelWarning").ptr(), text.c_str(), 2) != 0)
      throw py::error_already_set();
  }

  std::unique_ptr<hosted_model> hosted_;
  std::mutex busy_;
};

// A model of `source` (a path or a text), read by hosted_model's `load`.
template <void (hosted_model::*load)(const std::string&)>
std::unique_ptr<model> loaded(const std::string& source, std::optional<std::uint64_t> seed,
                              std::vector<std::filesystem::path> include, const py::dict& set) {
  auto made = std::make_unique<model>(seed, std::move(include), set);
  made->call([&](hosted_model& h) { (h.*load)(source); });
  return made;
}

}  // namespace

PYBIND11_MODULE(_syn, m) {
  m.doc() = "Syn's simulator (the syn package wraps it)";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const model_error& e) {
      PyErr_SetObject(package_attribute("ModelError").ptr(), py::str(e.what()).ptr());
    }
  });
  m.def("_set_stdlib", [](std::filesystem::path dir) { package_stdlib = std::move(dir); });

  py::class_<model>(m, "Model", "A Syn model and its simulation, which runs on from where it is.")
      .def_static("from_file", &loaded<&hosted_model::load_file>, py::arg("path"), py::kw_only(),
                  py::arg("seed") = py::none(),
                  py::arg("include") = std::vector<std::filesystem::path>{},
                  py::arg("set") = py::dict(),
                  "The model of a .syn file, its run statements run (as syn.load).")
      .def_static(
          "from_text", &loaded<&hosted_model::load_text>, py::arg("text"), py::kw_only(),
          py::arg("seed") = py::none(), py::arg("include") = std::vector<std::filesystem::path>{},
          py::arg("set") = py::dict(),
          "The model of a text in the language, its run statements run; errors name it <input>.")
      .def(
          "add",
          [](model& self, const std::string& statements) {
            self.call([&](hosted_model& h) { h.add(statements); });
          },
          py::arg("statements"),
          "Statements of the language, checked as in a file and run as the REPL runs them.")
      .def(
          "run",
          [](model& self, const std::string& duration) {
            self.call([&](hosted_model& h) { h.run(duration); });
          },
          py::arg("duration"), "Runs on from the present for DURATION (\"100 ms\").")
      .def(
          "show",
          [](model& self, const std::string& name) {
            return self.call([&](hosted_model& h) { return h.show(name); });
          },
          py::arg("name"), "What the REPL's `show NAME` prints.")
      .def(
          "spikes",
          [](model& self, bool all) {
            const auto s = self.call([&](hosted_model& h) { return h.spikes(!all); });
            return py::make_tuple(array_of(s.times), array_of(s.groups), array_of(s.indices));
          },
          py::kw_only(), py::arg("all") = false,
          "(times in ms, population as an index into populations, index in it): the spikes that "
          "`record spikes` records, as spikes.csv holds them, or with all=True every spike.")
      .def(
          "v",
          [](model& self, const std::string& neuron) {
            const auto t = self.call([&](hosted_model& h) { return h.v(neuron); });
            return py::make_tuple(array_of(t.times), array_of(t.v));
          },
          py::arg("neuron"), "(times in ms, V in mV) that `record v` sampled of one neuron.")
      .def_property_readonly(
          "populations",
          [](model& self) { return self.call([](hosted_model& h) { return h.groups(); }); },
          "The populations and trains, in declaration order.")
      .def_property_readonly(
          "synapse_count",
          [](model& self) { return self.call([](hosted_model& h) { return h.synapse_count(); }); },
          "The synapses built so far (0 before the model is built).")
      .def_property_readonly(
          "time", [](model& self) { return self.call([](hosted_model& h) { return h.time(); }); },
          "The present, in ms.");
}
