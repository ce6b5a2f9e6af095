using System.Globalization;
using BenchmarkDotNet.Attributes;
using SupplierAssure.Core.QuestionBank;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Scoring;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Benchmarks;

/// <summary>
/// Scoring one submitted 250-question assessment (DESIGN §9: well under 100 µs, allocation-light). The questions are
/// the shipped bank, repeated with new codes to reach 250, all applying to a Tier 1 supplier; the answers mix every
/// grade so each rule (gaps, findings, evidence) runs.
/// </summary>
[MemoryDiagnoser]
public class ScoringBenchmarks
{
    public const int QuestionCount = 250;

    private List<TemplateQuestion> _questions = [];
    private ScoringModel _model = null!;
    private Dictionary<string, string?> _answers = [];
    private ScoringContext _context = null!;

    [GlobalSetup]
    public void Setup()
    {
        var bank = QuestionBankLoader.LoadBank().Questions;
        _questions = Enumerable.Range(0, QuestionCount).Select(i =>
        {
            var q = bank[i % bank.Count];
            return new TemplateQuestion
            {
                Code = i < bank.Count ? q.Code : string.Create(CultureInfo.InvariantCulture, $"{q.Code}-{i}"),
                Order = i + 1,
                Section = q.Section,
                Clause = q.Clause,
                Domain = q.Domain,
                Text = q.Text,
                AnswerType = q.AnswerType,
                Options = q.Options,
                Weight = q.Weight,
                Critical = q.Critical,
                AppliesUpToTier = q.AppliesUpToTier,
                EvidenceExpected = q.EvidenceExpected,
                ShowWhenSupplierRoles = q.ShowWhenSupplierRoles,
                ShowWhenQuestion = q.ShowWhenQuestion,
                ShowWhenAnyOf = q.ShowWhenAnyOf,
            };
        }).ToList();
        _model = ScoringModel.Compile(_questions);
        _answers = _questions.Select((q, i) => (q.Code, Value: Answer(q, i))).ToDictionary(a => a.Code, a => a.Value, StringComparer.Ordinal);
        var evidence = _questions.Where((_, i) => i % 2 == 0).Select(q => q.Code).ToHashSet(StringComparer.Ordinal);
        _context = new ScoringContext(SupplierTier.Tier1Critical, SupplyChainRoles.Carrier, evidence);
    }

    /// <summary>The scoring step itself, with the template prepared once per version.</summary>
    [Benchmark(Baseline = true)]
    public ScoreResult Score() => ScoringEngine.Score(_model, _answers, _context);

    /// <summary>What the submission handler does today: prepare the template, then score.</summary>
    [Benchmark]
    public ScoreResult CompileAndScore() => ScoringEngine.Score(ScoringModel.Compile(_questions), _answers, _context);

    private static string? Answer(TemplateQuestion q, int i) => q.AnswerType switch
    {
        AnswerType.YesPartialNo => (i % 7) switch { 0 => "no", 1 => "partial", 2 => "na", _ => "yes" },
        AnswerType.Maturity => ((i % 5) + 1).ToString(CultureInfo.InvariantCulture),
        AnswerType.SingleChoice => q.Options[i % q.Options.Count].Value,
        AnswerType.MultipleChoice => string.Join(',', q.Options.Take((i % q.Options.Count) + 1).Select(o => o.Value)),
        AnswerType.Number => "12",
        AnswerType.Date => "2026-06-30",
        _ => "Free text for reviewers.",
    };
}
