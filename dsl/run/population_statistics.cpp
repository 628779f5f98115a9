#include "run/population_statistics.hpp"

#include <algorithm>
#include <cmath>

namespace syn::dsl {

population_statistics::population_statistics(const model& m, std::vector<node_id> first_node,
                                             double bin)
    : model_(&m), first_node_(std::move(first_node)), bin_(bin), groups_(m.groups.size()) {
  elements_.resize(m.groups.empty() ? 0 : first_node_.back() + m.groups.back().size);
}

std::uint64_t population_statistics::bin_of(double time, std::uint32_t group) const {
  return static_cast<std::uint64_t>(std::floor((time - model_->groups[group].since) / bin_));
}

void population_statistics::take(std::span<const spike> spikes) {
  for (const spike& s : spikes) {
    const auto g = static_cast<std::uint32_t>(
        std::upper_bound(first_node_.begin(), first_node_.end(), s.node) - first_node_.begin() - 1);
    element& e = elements_[s.node];
    group_sums& sums = groups_[g];
    if (e.spikes > 0) {
      // Welford's update of the intervals' mean and squared deviations.
      const double interval = s.time - e.last;
      const double n = e.spikes;  // intervals so far, this one included
      const double delta = interval - e.mean;
      e.mean += delta / n;
      e.m2 += delta * (interval - e.mean);
    }
    const std::uint64_t bin = bin_of(s.time, g);
    if (e.spikes == 0 || bin != bin_of(e.last, g)) {
      e.count_squares += static_cast<double>(e.bin_count) * e.bin_count;
      e.bin_count = 0;
    }
    ++e.bin_count;
    e.last = s.time;
    ++e.spikes;
    ++sums.spikes;
    if (bin != sums.bin) {
      sums.total_squares += static_cast<double>(sums.bin_count) * sums.bin_count;
      sums.bin = bin;
      sums.bin_count = 0;
    }
    ++sums.bin_count;
  }
}

std::vector<population_summary> population_statistics::summaries(double end) const {
  std::vector<population_summary> out;
  for (std::uint32_t g = 0; g < model_->groups.size(); ++g) {
    const group& grp = model_->groups[g];
    const group_sums& sums = groups_[g];
    population_summary p;
    p.name = grp.name;
    p.size = grp.size;
    p.is_train = grp.is_train;
    if (!grp.is_train) p.type = grp.type;
    p.spikes = sums.spikes;
    const double duration = end - grp.since;
    if (duration > 0.0)
      p.rate_hz = static_cast<double>(sums.spikes) / grp.size / (duration / 1000.0);
    // CV of the intervals, and each element's counts in whole bins.
    const double bins = duration > 0.0 ? std::floor(duration / bin_) : 0.0;
    const auto whole = [&](std::uint64_t bin) { return static_cast<double>(bin) < bins; };
    double cv_sum = 0.0, element_variance = 0.0;
    std::uint32_t with_cv = 0;
    double binned = 0.0;
    for (node_id n = first_node_[g]; n < first_node_[g] + grp.size; ++n) {
      const element& e = elements_[n];
      if (e.spikes >= 3 && e.mean > 0.0) {
        cv_sum += std::sqrt(e.m2 / (e.spikes - 1)) / e.mean;
        ++with_cv;
      }
      double squares = e.count_squares, counts = e.spikes;
      if (e.spikes > 0 && whole(bin_of(e.last, g))) {
        squares += static_cast<double>(e.bin_count) * e.bin_count;
      } else if (e.spikes > 0) {
        counts -= e.bin_count;
      }
      binned += counts;
      if (bins > 0) element_variance += squares / bins - (counts / bins) * (counts / bins);
    }
    if (with_cv > 0) p.cv_isi = cv_sum / with_cv;
    double total_squares = sums.total_squares;
    if (sums.spikes > 0 && whole(sums.bin))
      total_squares += static_cast<double>(sums.bin_count) * sums.bin_count;
    const double n = grp.size;
    if (grp.size >= 2 && bins >= 2 && element_variance > 0.0) {
      const double mean_x = binned / (n * bins);
      const double variance_x = total_squares / (n * n * bins) - mean_x * mean_x;
      p.synchrony = std::sqrt(std::max(0.0, variance_x) / (element_variance / n));
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace syn::dsl
