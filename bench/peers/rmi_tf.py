"""Peer benchmark: the renormalized-MI feature optimisation of Fig. 3 written the way the reference implementation
does it (TensorFlow, histogram with linear two-bin assignment, nested GradientTape for the gradient term).
Prints one JSON line: wall and CPU seconds per optimisation step. Usage: rmi_tf.py STEPS WIDTH GRID"""
import json, os, sys, time
import numpy as np
import tensorflow as tf

if os.environ.get("PEER_THREADS"):  # optional: restrict TensorFlow to N threads
    tf.config.threading.set_intra_op_parallelism_threads(int(os.environ["PEER_THREADS"]))
    tf.config.threading.set_inter_op_parallelism_threads(1)

steps, width, grid = (int(a) for a in sys.argv[1:4])
ext = 3.5
g = np.linspace(-ext, ext, grid)
xx, yy = np.meshgrid(g, g)
x = np.stack([xx.ravel(), yy.ravel()], 1).astype(np.float32)
r = np.sqrt((x ** 2).sum(1))
c, s = np.cos(0.5 * r), np.sin(0.5 * r)
u, v = c * x[:, 0] + s * x[:, 1], -s * x[:, 0] + c * x[:, 1]
rho, s1, s2 = -0.7, 0.8, 1.0
p = np.exp(-0.5 * (u * u / s1 ** 2 - 2 * rho * u * v / (s1 * s2) + v * v / s2 ** 2) / (1 - rho ** 2))
p = (p / p.sum()).astype(np.float32)
X, P = tf.constant(x), tf.constant(p)
tf.random.set_seed(0)
model = tf.keras.Sequential([tf.keras.Input((2,))] + [tf.keras.layers.Dense(width, activation="tanh") for _ in range(3)]
                            + [tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.Adam(1e-3)
bins = 100

def entropy(y, w):
    lo, hi = tf.reduce_min(y), tf.reduce_max(y)
    d = (hi - lo) / (bins - 1)
    t = (y - lo) / d
    k = tf.clip_by_value(tf.floor(t), 0, bins - 2)
    f = t - k
    k = tf.cast(k, tf.int32)
    m = tf.math.unsorted_segment_sum(w * (1 - f), k, bins) + tf.math.unsorted_segment_sum(w * f, k + 1, bins)
    m = tf.where(m > 0, m, tf.ones_like(m))
    return -tf.reduce_sum(m * tf.math.log(m)) + tf.math.log(d)

@tf.function
def step():
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            inner.watch(X)
            y = model(X)[:, 0]
        grad = inner.gradient(y, X)
        logterm = tf.reduce_sum(P * 0.5 * tf.math.log(tf.reduce_sum(grad * grad, 1)))
        loss = -(entropy(y, P) - logterm)
    opt.apply_gradients(zip(outer.gradient(loss, model.trainable_variables), model.trainable_variables))
    return loss

step()
t0, c0 = time.perf_counter(), time.process_time()
for _ in range(steps):
    step()
# Wall time, and CPU time of all the process's threads (the like-for-like figure on a loaded machine, see
# Sources/bench/RenormalizedMIBench.swift).
print(json.dumps({"seconds_per_step": (time.perf_counter() - t0) / steps,
                  "cpu_seconds_per_step": (time.process_time() - c0) / steps, "tensorflow": tf.__version__}))
