import Numerics
print("no benchmarks yet")
