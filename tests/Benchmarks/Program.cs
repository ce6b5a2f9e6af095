using BenchmarkDotNet.Running;

// Run by hand (not by dotnet test): dotnet run -c Release --project tests/Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(SupplierAssure.Benchmarks.ScoringBenchmarks).Assembly).Run(args);
