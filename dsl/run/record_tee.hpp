#pragma once

#include <span>
#include <vector>

#include "syn/engine/record_sink.hpp"

namespace syn::dsl {

// One simulator's records handed to several sinks in turn (the writer, the statistics, the PSP
// probe); null sinks are skipped.
class record_tee final : public record_sink {
 public:
  explicit record_tee(std::vector<record_sink*> sinks = {}) : sinks_(std::move(sinks)) {}
  void take(std::span<const spike> spikes) override {
    for (record_sink* s : sinks_)
      if (s) s->take(spikes);
  }
  void take(std::span<const sample> samples) override {
    for (record_sink* s : sinks_)
      if (s) s->take(samples);
  }

 private:
  std::vector<record_sink*> sinks_;
};

}  // namespace syn::dsl
