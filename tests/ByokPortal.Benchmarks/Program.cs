using BenchmarkDotNet.Running;
using ByokPortal.Benchmarks;

// dotnet run -c Release --project tests/ByokPortal.Benchmarks [-- BenchmarkDotNet options, e.g. --job short]
BenchmarkRunner.Run<ModelAccessBenchmarks>(args: args);
