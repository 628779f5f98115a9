#include "sources/source_trains.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace syn::detail {

namespace {
constexpr double never = std::numeric_limits<double>::infinity();
}

source_trains::source_trains(const network& net, shard part) {
  using kind = network::source_train::kind;
  for (const population& p : net.populations()) {
    if (!p.is_source || p.size == 0) continue;
    // A population that takes effect at `born` fires from then on: its earlier spikes are
    // skipped, a regular train keeping its grid, a Poisson train starting there.
    const network::source_train first = net.train_of(p.first);
    std::uint64_t skipped = 0;
    if (first.shape == kind::regular) {
      const regular_train& r = *first.regular;
      regular_.push_back(r);
      if (p.born > r.start) {
        skipped = static_cast<std::uint64_t>(std::ceil((p.born - r.start) / r.interval));
        while (r.start + static_cast<double>(skipped) * r.interval < p.born) ++skipped;
        while (skipped > 0 && r.start + static_cast<double>(skipped - 1) * r.interval >= p.born)
          --skipped;
      }
    }
    if (first.shape == kind::poisson) {
      poisson_.push_back(*first.poisson);
      poisson_.back().start = std::max(poisson_.back().start, p.born);
    }
    part.each_member(p, [&](std::uint32_t, std::uint32_t i) {
      source s{first.shape, p[i], 0, 0, 0, never};
      switch (first.shape) {
        case kind::times: {
          s.rule = static_cast<std::uint32_t>(times_.size());
          const std::vector<double>& times = *net.train_of(p[i]).times;
          times_.push_back(times);
          s.count = static_cast<std::uint64_t>(
              std::lower_bound(times.begin(), times.end(), p.born) - times.begin());
          break;
        }
        case kind::regular:
          s.rule = static_cast<std::uint32_t>(regular_.size() - 1);
          s.count = skipped;
          break;
        case kind::poisson: {
          const poisson_train& t = poisson_.back();
          s.rule = static_cast<std::uint32_t>(poisson_.size() - 1);
          s.stream = static_cast<std::uint32_t>(streams_.size());
          streams_.emplace_back(t.seed, t.purpose, t.first_index + i);
          break;
        }
      }
      sources_.push_back(s);
      sources_.back().time = draw(size() - 1);
    });
  }
}

// The spike after the `count` already emitted.
double source_trains::draw(std::uint32_t index) {
  source& s = sources_[index];
  using kind = network::source_train::kind;
  switch (s.shape) {
    case kind::times: {
      const std::vector<double>& times = times_[s.rule];
      return s.count < times.size() ? times[s.count] : never;
    }
    case kind::regular: {
      const regular_train& r = regular_[s.rule];
      const double t = r.start + static_cast<double>(s.count) * r.interval;
      return t < r.stop ? t : never;
    }
    case kind::poisson: {
      const poisson_train& p = poisson_[s.rule];
      if (!(p.rate > 0.0)) return never;
      const double from = s.count == 0 ? p.start : s.time;
      const double t = from + streams_[s.stream].exponential(1.0 / p.rate);
      return t < p.stop ? t : never;
    }
  }
  return never;
}

double source_trains::advance(std::uint32_t s) {
  ++sources_[s].count;
  sources_[s].time = draw(s);
  return sources_[s].time;
}

}  // namespace syn::detail
