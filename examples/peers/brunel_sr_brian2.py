#!/usr/bin/python3
"""The peer of examples/brunel_sr.syn in Brian2: Brunel 2000 (J Comput Neurosci 8:183) sparse
network, regime SR (Fig. 8A: g = 3, nu_ext / nu_thr = 2). At --scale 1: N_E = 10000,
N_I = 2500, indegree C_E = 1000 from the excitatory and C_I = 250 from the inhibitory
population (distinct partners, autapses allowed), J = 0.1 mV, -g J, delay 1.5 ms, tau_m 20 ms,
theta 20 mV, V_r 10 mV (above rest), refractory 2 ms (input meanwhile lost), V0 uniform in
[V_r, theta), external drive C_E Poisson inputs at nu_ext (PoissonInput). --scale S divides
N_E, N_I, C_E and C_I by S and multiplies J by S, as the example does with S = 10.
Clock-driven (dt 0.1 ms by default), spike times on the grid, runtime device (Cython).
Usage: /usr/bin/python3 brunel_sr_brian2.py --scale 10 --T 0.2 [--dt 0.1] [--seed 1]
"""
import argparse, time, warnings
warnings.filterwarnings('ignore')
import numpy as np
from brian2 import (NeuronGroup, Synapses, SpikeMonitor, PoissonInput, PopulationRateMonitor,
                    Network, defaultclock, ms, mV, Hz, second, prefs, seed)
import brian2
brian2.BrianLogger.log_level_error()

ap = argparse.ArgumentParser()
ap.add_argument('--T', type=float, default=0.2, help='biological time [s]')
ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--dt', type=float, default=0.1, help='ms')
ap.add_argument('--scale', type=int, default=1, help='divide N_E, N_I, C_E, C_I by this and multiply J by it')
a = ap.parse_args()

prefs.codegen.target = 'cython'
seed(a.seed)
rng = np.random.default_rng(a.seed)
defaultclock.dt = a.dt * ms

NE, NI = 10000 // a.scale, 2500 // a.scale
CE, CI = 1000 // a.scale, 250 // a.scale
J, g, D = 0.1 * mV * a.scale, 3.0, 1.5 * ms
taum, theta, Vr, tref = 20 * ms, 20 * mV, 10 * mV, 2 * ms
nu_thr = theta / (J * CE * taum)
nu_ext = 2 * nu_thr

P = NeuronGroup(NE + NI, 'dv/dt = -v/taum : volt (unless refractory)', threshold='v >= theta',
                reset='v = Vr', refractory=tref, method='exact')
P.v = 'Vr + rand()*(theta - Vr)'
t0 = time.time()
def fixed_indegree(pre0, npre, k):
    i = np.concatenate([pre0 + rng.choice(npre, k, replace=False) for _ in range(NE + NI)])
    j = np.repeat(np.arange(NE + NI), k)
    return i, j
Se = Synapses(P, P, on_pre='v_post += J*int(not_refractory_post)', delay=D)
Si = Synapses(P, P, on_pre='v_post -= g*J*int(not_refractory_post)', delay=D)
i, j = fixed_indegree(0, NE, CE); Se.connect(i=i, j=j)
i, j = fixed_indegree(NE, NI, CI); Si.connect(i=i, j=j)
ext = PoissonInput(P, 'v', CE, nu_ext, weight='J*int(not_refractory)')
M = SpikeMonitor(P)
net = Network(P, Se, Si, ext, M)
t1 = time.time()
net.run(a.T * second)
t2 = time.time()
t = np.asarray(M.t / ms)
n = NE + NI
print(f'nu_thr {nu_thr / Hz:.3g} Hz, nu_ext {nu_ext / Hz:.3g} Hz, synapses {len(Se) + len(Si)}')
print(f'build {t1 - t0:.1f} s, run {t2 - t1:.1f} s')
print(f'spikes {len(t)}, mean rate {len(t) / n / a.T:.3f} Hz over {a.T * 1000:g} ms')
for lo in range(0, int(a.T * 1000), 50):
    k = np.count_nonzero((t >= lo) & (t < lo + 50))
    print(f'  [{lo}, {lo + 50}) ms: {k / n / 0.05:.2f} Hz')
