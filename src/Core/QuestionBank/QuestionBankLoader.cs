using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.QuestionBank;

/// <summary>A problem found in a question bank file, located by file, line and JSON path of the field.</summary>
public sealed record QuestionBankProblem(string Source, int Line, string Path, string Message)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Source}: line {Line}: {Path}: {Message}");
}

public sealed class QuestionBankInvalidException(IReadOnlyList<QuestionBankProblem> problems)
    : Exception("The question bank is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<QuestionBankProblem> Problems { get; } = problems;
}

/// <summary>Reads a questionnaire template from its JSON data file and validates every question, reporting all problems at once.</summary>
public static class QuestionBankLoader
{
    public const string BankResource = "SupplierAssure.QuestionBank.iso28000-bank.json";
    public const string BankFileName = "iso28000-bank.json";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        // A misspelt field would otherwise be dropped silently and the question would lose, say, its weight.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>The question bank shipped with the product.</summary>
    public static QuestionnaireTemplate LoadBank()
    {
        using var stream = typeof(QuestionBankLoader).Assembly.GetManifestResourceStream(BankResource)
            ?? throw new InvalidOperationException($"Embedded question bank {BankResource} is missing.");
        return Load(stream, BankFileName);
    }

    /// <summary>Parses and validates; throws <see cref="QuestionBankInvalidException"/> listing every problem.</summary>
    public static QuestionnaireTemplate Load(Stream json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var buffer = new MemoryStream();
        json.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);

        JsonLineIndex lines;
        BankFile? file;
        try
        {
            lines = JsonLineIndex.Build(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            file = JsonSerializer.Deserialize<BankFile>(bytes, Json);
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            throw new QuestionBankInvalidException([new QuestionBankProblem(source, line, ex.Path ?? "$", Describe(ex))]);
        }

        if (file is null)
        {
            throw new QuestionBankInvalidException([new QuestionBankProblem(source, 1, "$", "The file is empty.")]);
        }

        var validator = new BankValidator(source, lines);
        var template = validator.Validate(file);
        if (validator.Problems.Count > 0)
        {
            throw new QuestionBankInvalidException(validator.Problems);
        }

        return template;
    }

    /// <summary>Writes a template in the same format <see cref="Load"/> reads, so an export can be edited and imported as a new version.</summary>
    public static void Write(QuestionnaireTemplate template, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(template);
        JsonSerializer.Serialize(destination, BankFile.From(template), Json);
    }

    // The serializer's messages name .NET types; people fixing a data file need the field and what it should hold.
    private static string Describe(JsonException ex) =>
        ex.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "This field is not part of the question bank format; check its spelling."
        : ex.Message.Contains("could not be converted", StringComparison.Ordinal) ? "This value has the wrong type or is not one of the allowed values."
        : "The file is not well-formed JSON here: " + ex.Message.Split(" Path:", 2)[0];

    internal sealed class BankFile
    {
        public string? Code { get; set; }
        public int Version { get; set; }
        public string? Title { get; set; }
        public List<BankQuestion>? Questions { get; set; }

        public static BankFile From(QuestionnaireTemplate template) => new()
        {
            Code = template.Code,
            Version = template.Version,
            Title = template.Title,
            Questions = template.Questions.OrderBy(q => q.Order).Select(BankQuestion.From).ToList(),
        };
    }

    internal sealed class BankQuestion
    {
        public string? Code { get; set; }
        public string? Section { get; set; }
        public string? Clause { get; set; }
        public ControlDomain? Domain { get; set; }
        public string? Text { get; set; }
        public string? Guidance { get; set; }
        public AnswerType? AnswerType { get; set; }
        public List<BankOption>? Options { get; set; }
        public decimal Weight { get; set; }
        public bool Critical { get; set; }
        public int AppliesUpToTier { get; set; }
        public BankCondition? ShowWhen { get; set; }
        public BankEvidence? Evidence { get; set; }
        public BankMappings? Mappings { get; set; }

        public static BankQuestion From(TemplateQuestion q) => new()
        {
            Code = q.Code,
            Section = q.Section,
            Clause = q.Clause,
            Domain = q.Domain,
            Text = q.Text,
            Guidance = q.Guidance,
            AnswerType = q.AnswerType,
            Options = q.Options.Count == 0 ? null : q.Options.Select(o => new BankOption { Value = o.Value, Label = o.Label, Score = o.Score }).ToList(),
            Weight = q.Weight,
            Critical = q.Critical,
            AppliesUpToTier = (int)q.AppliesUpToTier,
            ShowWhen = q.ShowWhenSupplierRoles == SupplyChainRoles.None && q.ShowWhenQuestion is null ? null : new BankCondition
            {
                SupplierRoles = q.ShowWhenSupplierRoles == SupplyChainRoles.None ? null
                    : Enum.GetValues<SupplyChainRoles>().Where(r => r != SupplyChainRoles.None && q.ShowWhenSupplierRoles.HasFlag(r)).ToList(),
                Question = q.ShowWhenQuestion,
                AnyOf = q.ShowWhenAnyOf?.Split(',').ToList(),
            },
            Evidence = q.EvidenceExpected is null ? null : new BankEvidence
            {
                Tier1 = q.AppliesUpToTier == SupplierTier.Tier1Critical ? q.EvidenceExpected : q.EvidenceTier1,
                Tier2 = q.AppliesUpToTier == SupplierTier.Tier2Significant ? q.EvidenceExpected : q.EvidenceTier2,
                Tier3 = q.AppliesUpToTier == SupplierTier.Tier3Standard ? q.EvidenceExpected : null,
            },
            Mappings = new BankMappings { Ctpat = q.Mappings.Ctpat, Aeo = q.Mappings.Aeo, Iso27001 = q.Mappings.Iso27001, Tapa = q.Mappings.Tapa, Isps = q.Mappings.Isps },
        };
    }

    internal sealed class BankOption
    {
        public string? Value { get; set; }
        public string? Label { get; set; }
        public decimal Score { get; set; }
    }

    internal sealed class BankCondition
    {
        public List<SupplyChainRoles>? SupplierRoles { get; set; }
        public string? Question { get; set; }
        public List<string>? AnyOf { get; set; }
    }

    internal sealed class BankEvidence
    {
        public string? Tier1 { get; set; }
        public string? Tier2 { get; set; }
        public string? Tier3 { get; set; }
    }

    internal sealed class BankMappings
    {
        public string? Ctpat { get; set; }
        public string? Aeo { get; set; }
        public string? Iso27001 { get; set; }
        public string? Tapa { get; set; }
        public string? Isps { get; set; }
    }
}
