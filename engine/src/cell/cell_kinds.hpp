#pragma once

#include <concepts>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <vector>

#include "cell/conductance/conductance_cells.hpp"
#include "cell/linear/linear_cells.hpp"
#include "scheduling/scheduler.hpp"
#include "syn/engine/model_error.hpp"
#include "synapses/synapse_store.hpp"

namespace syn::detail {

// A kind of neuron dynamics: a class that holds the state of the neurons of the models it
// accepts and answers the event loop for them, all by neuron index. Its neurons' pending events
// go through the scheduler's queue and its watched neurons through the scheduler's coarse watch;
// how it advances a state, tests and predicts threshold and charges inputs is its own, and so is
// the argument that it never misses a crossing. engine/README.md ("Cell kinds") says more.
template <typename K>
concept cell_kind = requires(K k, const K c, scheduler& s, const network& net,
                             const std::vector<model_id>& models,
                             const std::vector<input_port>& ports,
                             const std::vector<std::vector<input_port>>& used,
                             const neuron_params& params, const synapse_store& synapses,
                             const delay_group& group, const single_segment& segment,
                             model_id model, std::uint32_t n, double t, std::uint64_t instant) {
  // Whether it simulates this model, given the input ports that reach its neurons.
  { K::accepts(params, ports) } -> std::same_as<bool>;
  K(s, net, models, used);  // its models (ascending ids); by model, the ports that reach it
  { c.slot_ports(model) } -> std::same_as<std::vector<input_port>>;  // see delay_group
  { c.watch_window() } -> std::same_as<double>;  // its shortest coarse watch window, or never
  k.set_watch_window(t);                         // the watch's, the shortest of all kinds'
  k.touch(n);                                    // settle n at the end of the instant
  k.handle_event(n, t);                          // n's pending event came due
  k.deliver(synapses, group, t);                 // a spike reached the group's targets
  k.deliver_single(synapses, segment, n, t);     // ... or synapse n of a segment of singles
  k.settle(n, t);                                // all inputs at t are in: fire or predict
  k.window_pass(instant, t);                     // the coarse watch's instant number `instant`
  { k.v(n, t) } -> std::same_as<double>;         // V at t, mV, for samples and the REPL
  { k.v_at(n, t) } -> std::same_as<membrane_point>;  // V and its slope, for measurements
  { c.next_event(n) } -> std::same_as<pending>;  // what n's queued event is for
  { c.full_searches() } -> std::same_as<std::uint64_t>;  // run_stats::predictions
  { c.horizon() } -> std::same_as<double>;  // ms: no run may end at or after it
  c.prefetch_neuron(model, n, true);        // asks the cache for n's record (false) or state (true)
};

// Every neuron's kind: each model goes to the first kind of the list that accepts it, and the
// event loop dispatches once per delivery group, per neuron event and per neuron settled, never
// per synaptic event. With one kind the dispatch compiles to a direct call.
template <cell_kind... K>
class cells_of {
 public:
  cells_of(scheduler& s, const network& net, const std::vector<std::vector<input_port>>& used)
      : model_kind_(kinds_of(net, used)),
        neuron_kind_(s.neuron_node.size()),
        kinds_(K(s, net, models_of(index_of<K>()), used)...) {
    for (const population& p : net.populations())
      if (!p.is_source)
        s.part.each_member(
            p, [&](std::uint32_t n, std::uint32_t) { neuron_kind_[n] = model_kind_[p.model]; });
  }

  // f(the kind of model m), f(the kind of neuron n), f(each kind).
  template <typename F>
  decltype(auto) of_model(model_id m, F&& f) {
    return dispatch<0>(model_kind_[m], f);
  }
  template <typename F>
  decltype(auto) of_neuron(std::uint32_t n, F&& f) {
    return dispatch<0>(neuron_kind_[n], f);
  }
  template <typename F>
  decltype(auto) of_neuron(std::uint32_t n, F&& f) const {
    return dispatch<0>(neuron_kind_[n], f);
  }
  template <typename F>
  void each(F&& f) {
    std::apply([&](auto&... kind) { (f(kind), ...); }, kinds_);
  }

 private:
  template <typename T>
  static constexpr std::uint8_t index_of() {
    std::uint8_t i = 0;
    (void)((std::is_same_v<T, K> ? false : (++i, true)) && ...);
    return i;
  }

  static std::vector<std::uint8_t> kinds_of(const network& net,
                                            const std::vector<std::vector<input_port>>& used) {
    std::vector<std::uint8_t> kinds;
    for (model_id m = 0; m < net.models().size(); ++m) {
      std::uint8_t kind = 0;
      if (!((K::accepts(net.models()[m], used[m]) ? true : (++kind, false)) || ...))
        throw model_error("network: no kind of cell simulates this model");
      kinds.push_back(kind);
    }
    return kinds;
  }

  std::vector<model_id> models_of(std::uint8_t kind) const {
    std::vector<model_id> models;
    for (model_id m = 0; m < model_kind_.size(); ++m)
      if (model_kind_[m] == kind) models.push_back(m);
    return models;
  }

  template <std::size_t i, typename Self, typename F>
  static decltype(auto) dispatch_in(Self& self, std::uint8_t kind, F& f) {
    if constexpr (i + 1 == sizeof...(K)) {
      return f(std::get<i>(self.kinds_));
    } else {
      if (kind == i) return f(std::get<i>(self.kinds_));
      return dispatch_in<i + 1>(self, kind, f);
    }
  }
  template <std::size_t i, typename F>
  decltype(auto) dispatch(std::uint8_t kind, F& f) {
    return dispatch_in<i>(*this, kind, f);
  }
  template <std::size_t i, typename F>
  decltype(auto) dispatch(std::uint8_t kind, F& f) const {
    return dispatch_in<i>(*this, kind, f);
  }

  std::vector<std::uint8_t> model_kind_;   // by model
  std::vector<std::uint8_t> neuron_kind_;  // by neuron index
  std::tuple<K...> kinds_;
};

// The kinds of cells, in the order they are offered a model. A new kind lives in a folder of
// its own beside linear/ and is named here, before the linear cell, which takes every model.
using cells = cells_of<conductance_cells, linear_cells>;

}  // namespace syn::detail
