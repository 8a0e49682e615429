using BenchmarkDotNet.Running;
using ByokPortal.Benchmarks;

// dotnet run -c Release --project tests/ByokPortal.Benchmarks [-- BenchmarkDotNet options, e.g. --filter *Runtime* --job short]
// Without options it runs every benchmark.
BenchmarkSwitcher.FromAssembly(typeof(ModelAccessBenchmarks).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);
