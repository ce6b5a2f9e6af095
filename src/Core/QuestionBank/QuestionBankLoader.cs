using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.QuestionBank;

/// <summary>A problem found in a question bank file, located by file and JSON path.</summary>
public sealed record QuestionBankProblem(string Source, string Path, string Message)
{
    public override string ToString() => $"{Source}: {Path}: {Message}";
}

public sealed class QuestionBankInvalidException(IReadOnlyList<QuestionBankProblem> problems)
    : Exception("The question bank is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<QuestionBankProblem> Problems { get; } = problems;
}

/// <summary>Reads a questionnaire template from its JSON data file and validates every question.</summary>
public static class QuestionBankLoader
{
    public const string BaselineResource = "SupplierAssure.QuestionBank.iso28000-baseline.v1.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>The baseline template shipped with the product.</summary>
    public static QuestionnaireTemplate LoadBaseline()
    {
        using var stream = typeof(QuestionBankLoader).Assembly.GetManifestResourceStream(BaselineResource)
            ?? throw new InvalidOperationException($"Embedded question bank {BaselineResource} is missing.");
        return Load(stream, "iso28000-baseline.v1.json");
    }

    /// <summary>Parses and validates; throws <see cref="QuestionBankInvalidException"/> listing every problem.</summary>
    public static QuestionnaireTemplate Load(Stream json, string source)
    {
        BankFile? file;
        try
        {
            file = JsonSerializer.Deserialize<BankFile>(json, Json);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}") : ex.Path ?? "$";
            throw new QuestionBankInvalidException([new QuestionBankProblem(source, where, ex.Message)]);
        }

        var problems = new List<QuestionBankProblem>();
        if (file is null)
        {
            throw new QuestionBankInvalidException([new QuestionBankProblem(source, "$", "The file is empty.")]);
        }

        void Problem(string path, string message) => problems.Add(new QuestionBankProblem(source, path, message));

        if (string.IsNullOrWhiteSpace(file.Code))
        {
            Problem("$.code", "A template code is required.");
        }

        if (file.Version < 1)
        {
            Problem("$.version", "The version must be 1 or more.");
        }

        if (string.IsNullOrWhiteSpace(file.Title))
        {
            Problem("$.title", "A title is required.");
        }

        var questions = file.Questions ?? [];
        if (questions.Count == 0)
        {
            Problem("$.questions", "At least one question is required.");
        }

        var template = new QuestionnaireTemplate
        {
            Code = file.Code ?? string.Empty,
            Version = file.Version,
            Title = file.Title ?? string.Empty,
        };
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < questions.Count; i++)
        {
            var q = questions[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"$.questions[{i}]");
            if (string.IsNullOrWhiteSpace(q.Code) || q.Code.Length > 32)
            {
                Problem($"{at}.code", "A question code of 1 to 32 characters is required.");
            }
            else if (!seen.Add(q.Code))
            {
                Problem($"{at}.code", $"The code {q.Code} is used more than once.");
            }

            if (string.IsNullOrWhiteSpace(q.Text))
            {
                Problem($"{at}.text", "The question text is required.");
            }

            if (string.IsNullOrWhiteSpace(q.Section))
            {
                Problem($"{at}.section", "A section is required.");
            }

            if (string.IsNullOrWhiteSpace(q.Clause) || !IsClause(q.Clause))
            {
                Problem($"{at}.clause", "An ISO 28000 clause from 4 to 10 is required, e.g. 8.4 or 6.1.2.");
            }

            if (q.AnswerType is null)
            {
                Problem($"{at}.answerType", "An answer type is required: yesPartialNo, maturity or text.");
            }
            else if (q.AnswerType != AnswerType.Text && q.Weight <= 0)
            {
                Problem($"{at}.weight", "A scored question needs a weight above 0.");
            }
            else if (q.Weight < 0)
            {
                Problem($"{at}.weight", "The weight cannot be negative.");
            }

            if (q.Critical && q.AnswerType == AnswerType.Text)
            {
                Problem($"{at}.critical", "A text question is not scored, so it cannot be critical.");
            }

            if (q.AppliesUpToTier is not (1 or 2 or 3))
            {
                Problem($"{at}.appliesUpToTier", "Use 1, 2 or 3: the least demanding tier that still gets the question.");
            }

            template.Questions.Add(new TemplateQuestion
            {
                Code = q.Code ?? string.Empty,
                Order = i + 1,
                Section = q.Section ?? string.Empty,
                Clause = q.Clause ?? string.Empty,
                Text = q.Text ?? string.Empty,
                Guidance = q.Guidance,
                AnswerType = q.AnswerType ?? AnswerType.Text,
                Weight = q.Weight,
                Critical = q.Critical,
                AppliesUpToTier = (SupplierTier)q.AppliesUpToTier,
                EvidenceExpected = q.EvidenceExpected,
            });
        }

        if (problems.Count > 0)
        {
            throw new QuestionBankInvalidException(problems);
        }

        return template;
    }

    private static bool IsClause(string clause)
    {
        var parts = clause.Split('.');
        return int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) && major is >= 4 and <= 10
            && parts.Skip(1).All(p => p.Length > 0 && p.All(char.IsAsciiDigit));
    }

    private sealed class BankFile
    {
        public string? Code { get; set; }
        public int Version { get; set; }
        public string? Title { get; set; }
        public List<BankQuestion>? Questions { get; set; }
    }

    private sealed class BankQuestion
    {
        public string? Code { get; set; }
        public string? Section { get; set; }
        public string? Clause { get; set; }
        public string? Text { get; set; }
        public string? Guidance { get; set; }
        public AnswerType? AnswerType { get; set; }
        public decimal Weight { get; set; }
        public bool Critical { get; set; }
        public int AppliesUpToTier { get; set; }
        public string? EvidenceExpected { get; set; }
    }
}
