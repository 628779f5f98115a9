#include "run/record_writer.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace syn::dsl {

record_writer::record_writer(node_names names, std::vector<double> recorded_since,
                             row_output spikes, row_output v, row_output spike_stream)
    : names_(std::move(names)),
      recorded_since_(std::move(recorded_since)),
      spikes_(std::move(spikes)),
      v_(std::move(v)),
      spike_stream_(std::move(spike_stream)) {
  // A failure here shows at the next check or at close(): the error indicator stays set.
  for (const row_output* out : {&spikes_, &spike_stream_})
    if (out->file) write_spikes_csv(out->file, {});
  if (v_.file) write_v_csv(v_.file, {});
}

record_writer::~record_writer() {
  for (row_output* out : {&spikes_, &v_})
    if (out->file) std::fclose(out->file);
}

void record_writer::check(const row_output& out) const {
  if (std::ferror(out.file))
    throw output_error(fmt::format("cannot write {}: {}", out.name, std::strerror(errno)));
}

void record_writer::take(std::span<const spike> spikes) {
  if (!spikes_.file && !spike_stream_.file) return;
  spike_rows_.clear();
  for (const spike& s : spikes) {
    if (s.time < recorded_since_[s.node]) continue;
    const auto [name, index] = names_.element_of(s.node);
    spike_rows_.push_back({s.time, *name, index});
  }
  if (spike_rows_.empty()) return;
  if (spikes_.file) {
    append_spikes_csv(spikes_.file, spike_rows_, scratch_);
    check(spikes_);
  }
  if (spike_stream_.file) {
    append_spikes_csv(spike_stream_.file, spike_rows_, scratch_);
    if (!stream_reader_gone()) check(spike_stream_);
  }
}

void record_writer::take(std::span<const sample> samples) {
  if (!v_.file || samples.empty()) return;
  v_rows_.clear();
  for (const sample& s : samples) {
    const auto [name, index] = names_.element_of(s.node);
    v_rows_.push_back({s.time, *name, index, s.v});
  }
  append_v_csv(v_.file, v_rows_, scratch_);
  check(v_);
}

bool record_writer::stream_reader_gone() {
  // A pipe whose reader has gone (`--spikes - | head`) ends the stream; the files still get
  // every row. SIGPIPE is ignored while syn runs, so the write fails with EPIPE instead.
  if (!std::ferror(spike_stream_.file) || errno != EPIPE) return false;
  spike_stream_.file = nullptr;
  return true;
}

bool record_writer::close(std::string& error) {
  bool ok = true;
  const auto failed = [&](const row_output& out) {
    if (ok) error = fmt::format("cannot write {}: {}", out.name, std::strerror(errno));
    ok = false;
  };
  for (row_output* out : {&spikes_, &v_}) {
    if (!out->file) continue;
    const bool write_failed = std::ferror(out->file) != 0;
    if (std::fclose(out->file) != 0 || write_failed) failed(*out);
    out->file = nullptr;
  }
  if (spike_stream_.file &&
      (std::fflush(spike_stream_.file) != 0 || std::ferror(spike_stream_.file)) &&
      !stream_reader_gone())
    failed(spike_stream_);
  return ok;
}

}  // namespace syn::dsl
