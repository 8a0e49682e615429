using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using ByokPortal.Benchmarks;

// dotnet run -c Release --project tests/ByokPortal.Benchmarks [-- BenchmarkDotNet options, e.g. --filter *Runtime* --job short]
// Without options it runs every benchmark. See docs/benchmarks.md.
// The build of BenchmarkDotNet's generated project may take minutes on a busy 2-core machine: its 2-minute default timeout is too short.
var config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15));
BenchmarkSwitcher.FromAssembly(typeof(ModelAccessBenchmarks).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
