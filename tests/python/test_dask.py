"""gaussmap.dask: blocks equal the direct render bit for bit (kernels in memory), partial blocks of
a dask collection reduce to the reference within 1e-6, on a 2-worker LocalCluster as CI runs it."""
import importlib.util
import sys

import numpy as np
import pandas as pd
import pytest

import dask
import dask.array as da
import dask.dataframe as dd
import distributed
import zarr

import gaussmap
import gaussmap.dask


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


def random_kernels(count, width, height, seed, signed=False):
    rng = np.random.default_rng(seed)
    table = np.column_stack([
        rng.uniform(-20, width + 20, count), rng.uniform(-20, height + 20, count),
        rng.uniform(0.5, 9, count), rng.uniform(0.5, 9, count), rng.uniform(0, 180, count),
        rng.uniform(-1 if signed else 0.1, 1, count)])
    return table


def mode_kernels(count, width, height, seed, combine, signed):
    """random_kernels fit for `combine`: union needs every peak within [0, 1]."""
    kernels = random_kernels(count, width, height, seed, signed=signed and combine != "union")
    if combine == "union":
        kernels[:, 5] *= 0.5
    return kernels


def kernel_frame(kernels, npartitions):
    """A dask DataFrame of a kernel table, with the scene file's column names."""
    names = ["x", "y", "sigma_x", "sigma_y", "angle_deg", "weight"]
    return dd.from_pandas(pd.DataFrame(kernels, columns=names), npartitions=npartitions)


MODES = [("sum", "pdf", None), ("max", "peak", None), ("union", "peak", 3.0), ("sum", "cell", 2.5),
         ("max", "pdf", 4.0)]


@pytest.mark.parametrize("combine,normalize,cutoff", MODES)
def test_blocks_of_kernels_in_memory_are_the_direct_render_bit_for_bit(client, combine, normalize,
                                                                       cutoff):
    width, height = 300, 200
    kernels = mode_kernels(400, width, height, 1, combine, signed=True)
    options = dict(combine=combine, normalize=normalize, cutoff=cutoff, extent=(-3, 5, 10, 2))
    direct = gaussmap.render(kernels, width, height, backend="cpu", **options)
    for chunks in [(64, 64), ((50, 150), (1, 99, 200)), 128]:
        heat = gaussmap.dask.render(kernels, width, height, chunks=chunks, **options)
        assert isinstance(heat, da.Array) and heat.dtype == np.float32
        assert heat.shape == (height, width)
        values = heat.compute()
        assert np.array_equal(values, direct), (chunks, np.max(np.abs(values - direct)))


@pytest.mark.parametrize("combine,normalize,cutoff", MODES)
def test_a_dask_dataframe_of_kernels_reduces_to_the_reference(client, combine, normalize, cutoff):
    width, height = 160, 120
    kernels = mode_kernels(300, width, height, 2, combine, signed=combine == "sum")
    frame = kernel_frame(kernels, npartitions=7)
    options = dict(combine=combine, normalize=normalize, cutoff=cutoff)
    heat = gaussmap.dask.render(frame, width, height, chunks=(50, 70), fan_in=3, **options)
    values = heat.compute()
    exact = gaussmap.render(kernels, width, height, backend="reference", **options)
    assert values.dtype == np.float32 and values.shape == (height, width)
    scale = np.max(np.abs(exact))
    assert scale > 0
    assert np.max(np.abs(values - exact)) / scale < 1e-6


@pytest.mark.parametrize("combine,normalize,cutoff", MODES)
def test_a_dask_dataframe_whose_blocks_fit_one_partition_is_the_direct_render_bit_for_bit(
        client, combine, normalize, cutoff):
    # Narrow kernels, many blocks: a block's kernels from all partitions are fewer than one
    # partition's, so each block is one render of them (no partial blocks): bit for bit.
    width, height = 400, 300
    rng = np.random.default_rng(5)
    kernels = mode_kernels(600, width, height, 5, combine, signed=True)
    kernels[:, 2:4] = rng.uniform(0.4, 1.5, (600, 2))
    frame = kernel_frame(kernels, npartitions=3)
    options = dict(combine=combine, normalize=normalize, cutoff=cutoff)
    heat = gaussmap.dask.render(frame, width, height, chunks=(60, 80), fan_in=2, **options)
    direct = gaussmap.render(kernels, width, height, backend="cpu", **options)
    values = heat.compute()
    assert np.array_equal(values, direct), np.max(np.abs(values - direct))


def test_max_of_signed_kernels_in_partitions_keeps_the_dropped_tails_zero(client):
    # Partition 0 holds one negative kernel; partition 1 a positive one far away. Without a
    # cutoff the far kernel's dropped tail counts as 0 near the negative one (README
    # "Combining"), which the reduction must keep although partition 1 never renders there.
    kernels = np.array([[20.0, 20.0, 3, 3, 0, -1.0], [140.0, 100.0, 3, 3, 0, 1.0]])
    array = da.from_array(kernels, chunks=(1, 6))
    values = gaussmap.dask.render(array, 160, 120, chunks=40, combine="max").compute()
    exact = gaussmap.render(kernels, 160, 120, combine="max", backend="reference")
    assert np.max(np.abs(values - exact)) / np.max(np.abs(exact)) < 1e-6
    assert values.min() >= 0


def test_a_map_larger_than_one_render_goes_to_zarr(client, tmp_path):
    # 40,000 x 300: more samples a side than one render allows (32,768).
    width, height = 40000, 300
    kernels = np.array([[100.0, 150.0, 5.0], [39990.0, 10.0, 4.0], [20000.0, 299.0, 30.0]])
    heat = gaussmap.dask.render(kernels, width, height, chunks=(300, 8192), normalize="peak")
    heat.to_zarr(str(tmp_path / "heat.zarr"))
    stored = zarr.open(str(tmp_path / "heat.zarr"), mode="r")
    assert stored.shape == (height, width) and stored.dtype == np.float32
    assert stored[150, 100] == 1.0 and stored[10, 39990] == 1.0 and stored[299, 20000] == 1.0
    window = gaussmap.render(kernels, width, height, normalize="peak", backend="cpu",
                             window=(39000, 0, 1000, 300))
    assert np.array_equal(stored[:, 39000:40000], window)


def test_bad_arguments_raise_before_anything_runs():
    kernels = np.array([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="chunks: columns must be positive integers"):
        gaussmap.dask.render(kernels, 100, 100, chunks=(10, 0))
    with pytest.raises(ValueError, match="chunks: a block of 100x40000"):
        gaussmap.dask.render(kernels, 50000, 100, chunks=(100, 40000))
    with pytest.raises(ValueError, match="width, height"):
        gaussmap.dask.render(kernels, 2_000_000, 100, chunks=100)
    with pytest.raises(ValueError, match=r"kernels\[0\]\.sigma"):
        gaussmap.dask.render(np.array([[1.0, 2.0, -3.0]]), 100, 100, chunks=50)
    with pytest.raises(ValueError, match="combine"):
        gaussmap.dask.render(da.from_array(kernels), 100, 100, combine="avg")


def test_the_scale_benchmark_runs_at_a_tiny_size(client, source_dir, tmp_path, capsys):
    # python/benchmarks/scale_bench.py (docs/scale-out.md) on this module's cluster: its figures
    # are printed, not checked; its own check (stored blocks against direct renders) must pass.
    path = source_dir / "python" / "benchmarks" / "scale_bench.py"
    spec = importlib.util.spec_from_file_location("scale_bench", path)
    bench = importlib.util.module_from_spec(spec)
    sys.modules["scale_bench"] = bench
    spec.loader.exec_module(bench)
    client.upload_file(str(path))  # the workers import it too (its tasks name its functions)
    status = bench.main(["--points", "20000", "--size", "1024", "--chunk", "256",
                         "--partitions", "4", "--check-blocks", "2", "--overhead-tasks", "100",
                         "--zarr", str(tmp_path / "stores")], client=client)
    out = capsys.readouterr().out
    print(out)
    assert status == 0, out
    assert out.count("matches (bit for bit)") == 4, out
