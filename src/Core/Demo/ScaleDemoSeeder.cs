using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.Scoring;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tiering;

namespace SupplierAssure.Core.Demo;

/// <summary>What one run of the scale seed wrote.</summary>
public sealed record ScaleSeedResult(int Suppliers, int Assessments, int Findings, int CorrectiveActions, int Credentials, TimeSpan Elapsed);

/// <summary>
/// The demo data at portfolio scale (<c>SupplierAssure:Demo:Scale=large</c>): 10,000 generated suppliers with tiers,
/// lifecycle and assurance states, countries, identifiers, tier decisions, one to three assessments each with score
/// snapshots, 100,000 assessment findings by grade and clause, a corrective action for every major and minor
/// nonconformity, and security-programme credentials. Every value comes from a <see cref="Random"/> seeded with the
/// supplier's number, so the same supplier always gets the same data (dates are relative to the time of seeding).
/// Written in ranges of <see cref="RangeSize"/> suppliers, each range in one transaction under its own seed marker:
/// idempotent, resumable after an interruption, and never holding the database's writer lock for long (the partner
/// gateway may be starting against the same file).
/// </summary>
public static class ScaleDemoSeeder
{
    public const string ScaleSetting = "SupplierAssure:Demo:Scale";
    public const string LargeScale = "large";
    public const int LargeSupplierCount = 10_000;
    public const int FindingsPerSupplier = 10;
    public const int RangeSize = 1_000;
    private const int Seed = 20_261_130;

    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    private static readonly string[] Countries = ["GB", "GB", "DE", "DE", "NL", "FR", "IE", "PL", "ES", "IT", "BE", "US", "US", "CN", "CN", "IN", "VN", "TR", "MX", "SE"];
    private static readonly HashSet<string> EuCountries = ["DE", "NL", "FR", "IE", "PL", "ES", "IT", "BE", "SE"];
    private static readonly string[] NameFirst = ["Alder", "Beacon", "Cobalt", "Dunmore", "Eastgate", "Fairwind", "Granite", "Harbour", "Ironbridge", "Juniper", "Kestrel", "Lakeside", "Meadow", "Northfield", "Orchard", "Pinecrest", "Quayside", "Redwood", "Silverline", "Thornbury", "Upland", "Vantage", "Westbrook", "Yardley"];
    private static readonly string[] NameTrade = ["Freight", "Logistics", "Components", "Packaging", "Cold Chain", "Bonded Storage", "Haulage", "Forwarding", "Electronics", "Textiles", "Port Services", "Customs Brokerage", "Plastics", "Distribution"];
    private static readonly string[] ClauseTitles = ["Context of the organisation", "Leadership", "Planning", "Support", "Operation", "Performance evaluation", "Improvement"];
    private static readonly string[] ClauseKeys = ["4", "5", "6", "7", "8", "9", "10"];
    private static readonly string[] FindingSummaries =
    [
        "Perimeter fence inspections are not recorded.",
        "Seal numbers are not checked against the shipping documents at loading.",
        "Visitor badges are not collected when visitors leave.",
        "Background checks for new drivers are not documented.",
        "The security risk assessment was last reviewed more than a year ago.",
        "Access to the cargo area is not restricted to named staff.",
        "CCTV recordings are kept for fewer days than the policy states.",
        "Security training records are incomplete for temporary staff.",
        "Subcontracted hauliers were not assessed before use.",
        "The incident reporting procedure does not name a contact outside office hours.",
    ];

    /// <summary>Seeds the large demo portfolio when <c>SupplierAssure:Demo:Scale</c> is <c>large</c>; returns null otherwise.</summary>
    public static async Task<ScaleSeedResult?> SeedIfConfiguredAsync(SupplierAssureDbContext db, TimeProvider clock, string? scale, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(scale) || string.Equals(scale, "default", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!string.Equals(scale, LargeScale, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{ScaleSetting} is '{scale}'; use '{LargeScale}' or leave it unset.");
        }

        return await SeedAsync(db, clock, LargeSupplierCount, cancellationToken);
    }

    /// <summary>Generated suppliers 0 … <paramref name="suppliers"/>-1, in ranges of <see cref="RangeSize"/>; ranges already seeded are skipped.</summary>
    public static async Task<ScaleSeedResult> SeedAsync(SupplierAssureDbContext db, TimeProvider clock, int suppliers, CancellationToken cancellationToken)
    {
        var total = new ScaleSeedResult(0, 0, 0, 0, 0, TimeSpan.Zero);
        for (var from = 0; from < suppliers; from += RangeSize)
        {
            var part = await SeedRangeAsync(db, clock, from, Math.Min(suppliers, from + RangeSize), cancellationToken);
            total = new ScaleSeedResult(total.Suppliers + part.Suppliers, total.Assessments + part.Assessments, total.Findings + part.Findings,
                total.CorrectiveActions + part.CorrectiveActions, total.Credentials + part.Credentials, total.Elapsed + part.Elapsed);
        }

        return total;
    }

    /// <summary>
    /// Generated suppliers <paramref name="from"/> … <paramref name="to"/>-1 in one transaction, once per database
    /// (seed marker <c>demo-scale-v1:{from}-{to}</c>). Needs the demo question bank template (the demo seed).
    /// </summary>
    public static async Task<ScaleSeedResult> SeedRangeAsync(SupplierAssureDbContext db, TimeProvider clock, int from, int to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        var stopwatch = Stopwatch.StartNew();
        var result = new ScaleSeedResult(0, 0, 0, 0, 0, TimeSpan.Zero);
        await DemoDataSeeder.SeedOnceAsync(db, string.Create(CultureInfo.InvariantCulture, $"demo-scale-v1:{from}-{to}"), clock, async () =>
        {
            var template = await db.QuestionnaireTemplates.AsNoTracking()
                .Where(t => t.Status == TemplateStatus.Published)
                .OrderBy(t => t.PublishedAt)
                .Select(t => new { t.Id })
                .FirstOrDefaultAsync(cancellationToken)
                ?? throw new InvalidOperationException("The scale seed needs the demo question bank (Database:SeedDemoData).");
            var questions = await db.TemplateQuestions.AsNoTracking()
                .Where(q => q.TemplateId == template.Id)
                .OrderBy(q => q.Order)
                .Select(q => new { q.Code, q.Clause })
                .ToListAsync(cancellationToken);
            var questionRefs = questions.Select(q => (q.Code, q.Clause)).ToArray();
            result = await WriteAsync(db, clock.GetUtcNow(), template.Id, questionRefs, from, to, cancellationToken);
        }, cancellationToken);
        if (result.Suppliers > 0)
        {
            if (db.Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite")
            {
                // Note: SQLite plans without statistics until ANALYZE runs; after a bulk load it otherwise picks
                // low-selectivity indexes (finding state and grade, credential verification state) for correlated
                // per-supplier look-ups: the recount below and the dashboard's coverage count took seconds instead of
                // milliseconds. ANALYZE takes a fraction of a second at this size.
                await db.Database.ExecuteSqlRawAsync("ANALYZE;", cancellationToken);
            }

            // The prepared INSERTs bypass SaveChanges, so the open-finding counts the partner gateway reads are made
            // here, as OpenFindingsCounter asks of bulk loaders (its own transaction, right after the range's).
            await Status.OpenFindingsCounter.RecountAsync(db, [.. Enumerable.Range(from, to - from).Select(i => Id(1, i, 0))], cancellationToken);
        }

        return result with { Elapsed = stopwatch.Elapsed };
    }

    private static async Task<ScaleSeedResult> WriteAsync(SupplierAssureDbContext db, DateTimeOffset now, Guid templateId, (string Code, string Clause)[] questions, int from, int to, CancellationToken cancellationToken)
    {
        await using var suppliers = new BulkInserter<Supplier>(db);
        await using var decisions = new BulkInserter<TierDecision>(db);
        await using var assessments = new BulkInserter<Assessment>(db);
        await using var findings = new BulkInserter<AssessmentFinding>(db);
        await using var cases = new BulkInserter<RemediationCase>(db);
        await using var credentials = new BulkInserter<Credential>(db);
        await using var clauseLevels = new BulkInserter<Kpis.SupplierClauseMaturity>(db);
        await using var sites = new BulkInserter<SupplierSite>(db);

        for (var i = from; i < to; i++)
        {
            var rng = new Random(unchecked((Seed * 31) + i));
            var supplier = NewSupplier(i, rng);
            var tierDecidedAt = now.AddDays(-rng.Next(200, 1200));

            // One to three assessment cycles, a year apart; all but possibly the newest are scored.
            var cycles = supplier.Lifecycle is SupplierLifecycle.Invited or SupplierLifecycle.Onboarding ? 1 : 1 + rng.Next(3);
            var cycleRows = new List<Assessment>(cycles);
            for (var c = 0; c < cycles; c++)
            {
                var newest = c == cycles - 1;
                var issued = now.AddDays(-(((cycles - 1 - c) * 365) + rng.Next(10, 200)));
                var open = newest && (supplier.Lifecycle is SupplierLifecycle.Invited or SupplierLifecycle.Onboarding || rng.NextDouble() < 0.35);
                cycleRows.Add(NewAssessment(Id(2, i, c), supplier, templateId, issued, open, rng, now));
            }

            var scored = cycleRows.LastOrDefault(a => a.ScoredAt is not null);
            ApplyNewestScore(supplier, scored, cycleRows[^1]);
            await suppliers.AddAsync(supplier, cancellationToken);
            foreach (var site in DemoSites.Generated(supplier, i, n => Id(7, i, n), now))
            {
                await sites.AddAsync(site, cancellationToken);
            }
            await decisions.AddAsync(NewTierDecision(i, supplier, tierDecidedAt, rng), cancellationToken);
            foreach (var assessment in cycleRows)
            {
                await assessments.AddAsync(assessment, cancellationToken);
            }

            if (scored is not null)
            {
                // What scoring keeps beside the snapshot for the dashboard's heat map.
                var snapshot = JsonSerializer.Deserialize<ScoreResult>(scored.ScoreResultJson!, SnapshotJson)!;
                foreach (var level in Kpis.SupplierClauseMaturity.From(supplier.Id, scored.Id, snapshot.Clauses))
                {
                    await clauseLevels.AddAsync(level, cancellationToken);
                }
            }

            // Findings: ten per supplier on average, paired so that every two suppliers have exactly twenty.
            var count = FindingCount(i);
            for (var f = 0; f < count; f++)
            {
                var assessment = cycleRows[rng.Next(cycleRows.Count)];
                var finding = NewFinding(Id(3, i, f), supplier.Id, assessment, questions, rng, now);
                await findings.AddAsync(finding, cancellationToken);
                if (finding.Grade != NonconformityGrade.OpportunityForImprovement)
                {
                    await cases.AddAsync(NewCase(Id(4, i, f), finding, rng, now), cancellationToken);
                }
            }

            var credentialCount = supplier.Tier == SupplierTier.Tier1Critical ? rng.Next(0, 4) : rng.NextDouble() < 0.3 ? rng.Next(1, 3) : 0;
            for (var c = 0; c < credentialCount; c++)
            {
                await credentials.AddAsync(NewCredential(Id(5, i, c), supplier, c, rng, now), cancellationToken);
            }
        }

        return new ScaleSeedResult(suppliers.Count, assessments.Count, findings.Count, cases.Count, credentials.Count, TimeSpan.Zero);
    }

    /// <summary>Findings of generated supplier <paramref name="index"/>: 10 ± k, where the pair (2n, 2n+1) shares k, so every pair has 20.</summary>
    public static int FindingCount(int index)
    {
        var k = new Random(unchecked(Seed + (index / 2))).Next(0, FindingsPerSupplier);
        return index % 2 == 0 ? FindingsPerSupplier + k : FindingsPerSupplier - k;
    }

    /// <summary>A fixed id per kind and number, so reseeding an emptied database gives the same keys.</summary>
    public static Guid Id(int kind, int supplier, int item) =>
        new(unchecked((int)0x5CA1E000u + kind), (short)(supplier >> 16), 0x4000, BitConverter.GetBytes(((long)(supplier & 0xFFFF) << 32) | (uint)item));

    private static Supplier NewSupplier(int i, Random rng)
    {
        var country = Countries[rng.Next(Countries.Length)];
        var suffix = country switch
        {
            "GB" or "IE" => "Ltd",
            "DE" => "GmbH",
            "NL" or "BE" => "B.V.",
            "FR" => "SAS",
            "PL" => "Sp. z o.o.",
            "ES" => "S.L.",
            "IT" => "S.r.l.",
            "SE" => "AB",
            "US" => "Inc.",
            _ => "Co., Ltd",
        };
        var tierDraw = rng.NextDouble();
        var tier = tierDraw < 0.10 ? SupplierTier.Tier1Critical : tierDraw < 0.35 ? SupplierTier.Tier2Significant : tierDraw < 0.95 ? SupplierTier.Tier3Standard : SupplierTier.Excluded;
        var lifecycleDraw = rng.NextDouble();
        var lifecycle = lifecycleDraw < 0.80 ? SupplierLifecycle.Active : lifecycleDraw < 0.88 ? SupplierLifecycle.Onboarding
            : lifecycleDraw < 0.93 ? SupplierLifecycle.Invited : lifecycleDraw < 0.97 ? SupplierLifecycle.Suspended : SupplierLifecycle.Offboarded;
        var roles = SupplyChainRoles.None;
        foreach (var role in Enum.GetValues<SupplyChainRoles>().Where(r => r != SupplyChainRoles.None))
        {
            if (rng.NextDouble() < 0.2)
            {
                roles |= role;
            }
        }

        var number = (i + 1).ToString("D6", CultureInfo.InvariantCulture);
        return new Supplier
        {
            Id = Id(1, i, 0),
            LegalName = $"{NameFirst[rng.Next(NameFirst.Length)]} {NameTrade[rng.Next(NameTrade.Length)]} {number} {suffix}",
            CountryCode = country,
            // Identifier shapes (not check digits) of real ones; the 9845 prefix keeps them apart from the demo's.
            Lei = rng.NextDouble() < 0.85 ? string.Create(CultureInfo.InvariantCulture, $"98450A{i:D12}SA") : null,
            Duns = rng.NextDouble() < 0.6 ? string.Create(CultureInfo.InvariantCulture, $"{700_000_000 + i}") : null,
            Eori = EuCountries.Contains(country) || country == "GB" ? string.Create(CultureInfo.InvariantCulture, $"{country}9845{i:D8}") : null,
            Vat = EuCountries.Contains(country) || country == "GB" ? string.Create(CultureInfo.InvariantCulture, $"{country}84{i:D9}") : null,
            Tier = tier,
            Roles = roles,
            Lifecycle = lifecycle,
            AssuranceStatus = AssuranceStatus.NotAssessed,
            Version = 1,
        };
    }

    private static Assessment NewAssessment(Guid id, Supplier supplier, Guid templateId, DateTimeOffset issued, bool open, Random rng, DateTimeOffset now)
    {
        var due = DateOnly.FromDateTime(issued.UtcDateTime).AddDays(rng.Next(21, 60));
        var assessment = new Assessment
        {
            Id = id,
            SupplierId = supplier.Id,
            TemplateId = templateId,
            TierAtIssue = supplier.Tier,
            IssuedAt = issued,
            DueDate = due,
            Version = 1,
        };
        if (open)
        {
            var draw = rng.NextDouble();
            assessment.State = draw < 0.45 ? AssessmentState.Issued : draw < 0.85 ? AssessmentState.InProgress : draw < 0.93 ? AssessmentState.Submitted : AssessmentState.UnderReview;
            if (assessment.State is AssessmentState.Submitted or AssessmentState.UnderReview)
            {
                assessment.SubmittedAt = Min(issued.AddDays(rng.Next(5, 40)), now);
            }

            return assessment;
        }

        var submitted = Min(issued.AddDays(rng.Next(5, 40)), now);
        var score = Math.Clamp(Math.Round((decimal)(65 + (Gaussian(rng) * 15)), 1), 5m, 100m);
        var result = Snapshot(score, rng);
        assessment.SubmittedAt = submitted;
        assessment.ScoredAt = submitted;
        assessment.OverallScore = result.OverallScore;
        assessment.MaturityLevel = result.MaturityLevel;
        assessment.RiskRating = result.RiskRating;
        assessment.CriticalGapCount = result.CriticalGapCount;
        assessment.ScoringModelVersion = result.ModelVersion;
        assessment.TierPolicyVersion = 0;
        assessment.ScoreResultJson = JsonSerializer.Serialize(result, SnapshotJson);
        assessment.State = score >= 75 ? AssessmentState.Approved : score >= 55 ? AssessmentState.ConditionallyApproved : score >= 35 ? AssessmentState.Remediation : AssessmentState.Rejected;
        return assessment;
    }

    /// <summary>
    /// A score snapshot in the shape the scoring engine writes, with per-clause scores around the overall one. The
    /// per-question list is left empty to keep 20,000 snapshots small; reviewers' pages read it as "no questions".
    /// </summary>
    private static ScoreResult Snapshot(decimal overall, Random rng)
    {
        var clauses = ClauseKeys.Select((key, c) =>
        {
            var score = Math.Clamp(Math.Round(overall + (decimal)(Gaussian(rng) * 12), 1), 0m, 100m);
            var possible = 10m + rng.Next(0, 30);
            return new AreaScore(key, ClauseTitles[c], score, Level(score), Math.Round(possible * score / 100m, 2), possible, (int)possible / 2);
        }).ToList();
        var critical = overall < 50 ? rng.Next(1, 4) : 0;
        return new ScoreResult(ScoringEngine.ModelVersion, overall, Level(overall), Risk(overall),
            [.. clauses.Select(c => new SectionScore(c.Title, c.Score, c.MaturityLevel))], [], critical, clauses.Sum(c => c.QuestionCount),
            clauses, [], [], []);
    }

    private static void ApplyNewestScore(Supplier supplier, Assessment? scored, Assessment newest)
    {
        if (scored is not null)
        {
            supplier.OverallScore = scored.OverallScore;
            supplier.MaturityLevel = scored.MaturityLevel;
            supplier.RiskRating = scored.RiskRating ?? RiskRating.Unrated;
            supplier.LastAssessedAt = scored.ScoredAt;
            if (scored.State is AssessmentState.Approved or AssessmentState.ConditionallyApproved)
            {
                supplier.ValidUntil = scored.ScoredAt!.Value.AddYears(1);
            }
        }

        supplier.AssuranceStatus = supplier.Lifecycle == SupplierLifecycle.Suspended ? AssuranceStatus.Suspended : newest.State switch
        {
            AssessmentState.Issued or AssessmentState.InProgress => scored is null ? AssuranceStatus.AssessmentInProgress : StatusOf(scored.State),
            AssessmentState.Submitted or AssessmentState.UnderReview => AssuranceStatus.UnderReview,
            _ => StatusOf(newest.State),
        };
    }

    private static AssuranceStatus StatusOf(AssessmentState state) => state switch
    {
        AssessmentState.Approved => AssuranceStatus.Approved,
        AssessmentState.ConditionallyApproved => AssuranceStatus.ConditionallyApproved,
        AssessmentState.Rejected => AssuranceStatus.Rejected,
        _ => AssuranceStatus.UnderReview,
    };

    private static TierDecision NewTierDecision(int i, Supplier supplier, DateTimeOffset at, Random rng)
    {
        var overridden = rng.NextDouble() < 0.15;
        return new TierDecision
        {
            Id = Id(6, i, 0),
            SupplierId = supplier.Id,
            Tier = supplier.Tier,
            Source = overridden ? TierDecisionSource.Override : TierDecisionSource.Proposal,
            Justification = overridden ? "Category manager moved the supplier after a change of the goods it handles." : null,
            PolicyVersion = 0,
            DecidedAt = at,
        };
    }

    private static AssessmentFinding NewFinding(Guid id, Guid supplierId, Assessment assessment, (string Code, string Clause)[] questions, Random rng, DateTimeOffset now)
    {
        var gradeDraw = rng.NextDouble();
        var grade = gradeDraw < 0.12 ? NonconformityGrade.MajorNonconformity : gradeDraw < 0.5 ? NonconformityGrade.MinorNonconformity : NonconformityGrade.OpportunityForImprovement;
        var question = questions[rng.Next(questions.Length)];
        var sourceDraw = rng.NextDouble();
        var raised = assessment.ScoredAt ?? assessment.IssuedAt.AddDays(rng.Next(1, 20));
        // Findings of an assessment still open, and most of the newest cycle's, are open; older ones are mostly closed.
        var age = (now - raised).TotalDays;
        var open = assessment.ScoredAt is null || rng.NextDouble() < (age < 365 ? 0.6 : 0.1);
        return new AssessmentFinding
        {
            Id = id,
            SupplierId = supplierId,
            AssessmentId = assessment.Id,
            Source = sourceDraw < 0.7 ? FindingSource.Scoring : sourceDraw < 0.9 ? FindingSource.Review : FindingSource.Audit,
            Grade = grade,
            // Scoring names the question; reviewers and auditors often name the clause itself.
            Reference = sourceDraw < 0.7 ? question.Code : question.Clause,
            Summary = FindingSummaries[rng.Next(FindingSummaries.Length)],
            DueDate = grade == NonconformityGrade.OpportunityForImprovement ? null : DateOnly.FromDateTime(raised.UtcDateTime).AddDays(grade == NonconformityGrade.MajorNonconformity ? 30 : 90),
            State = open ? AssessmentFindingState.Open : AssessmentFindingState.Closed,
            RaisedAt = raised,
            Version = 1,
        };
    }

    private static RemediationCase NewCase(Guid id, AssessmentFinding finding, Random rng, DateTimeOffset now)
    {
        var major = finding.Grade == NonconformityGrade.MajorNonconformity;
        var opened = finding.RaisedAt;
        var remediation = new RemediationCase
        {
            Id = id,
            SupplierId = finding.SupplierId,
            AssessmentId = finding.AssessmentId,
            FindingId = finding.Id,
            Grade = finding.Grade,
            PolicyVersion = 0,
            OpenedAt = opened,
            ActionPlanDueAt = opened.AddDays(major ? 7 : 14),
            ImplementationDueAt = opened.AddDays(major ? 30 : 90),
            Version = 1,
        };
        if (finding.State == AssessmentFindingState.Closed)
        {
            remediation.State = RemediationState.Closed;
            remediation.ActionPlan = "Named owner, steps and dates agreed with the site manager.";
            remediation.ActionPlanAt = opened.AddDays(rng.Next(2, 20));
            remediation.ImplementedAt = Min(opened.AddDays(rng.Next(10, major ? 50 : 120)), now);
            remediation.VerificationDueAt = remediation.ImplementationDueAt.AddDays(14);
            // Some close after their verification deadline, so the on-time share is not 100 %.
            remediation.Close(Min(remediation.ImplementedAt.Value.AddDays(rng.Next(1, 20)), now));
            remediation.VerificationNote = "Evidence checked; the control works as described.";
            return remediation;
        }

        var stage = rng.NextDouble();
        remediation.State = stage < 0.4 ? RemediationState.ActionPlanDue : stage < 0.8 ? RemediationState.ImplementationDue : RemediationState.VerificationDue;
        if (remediation.State != RemediationState.ActionPlanDue)
        {
            remediation.ActionPlan = "Named owner, steps and dates agreed with the site manager.";
            remediation.ActionPlanAt = opened.AddDays(rng.Next(2, 20));
        }

        if (remediation.State == RemediationState.VerificationDue)
        {
            remediation.ImplementedAt = Min(opened.AddDays(rng.Next(10, 60)), now);
            remediation.VerificationDueAt = remediation.ImplementedAt.Value.AddDays(14);
        }

        return remediation;
    }

    private static Credential NewCredential(Guid id, Supplier supplier, int n, Random rng, DateTimeOffset now)
    {
        CredentialType[] types = [CredentialType.EuAeo, CredentialType.CTpat, CredentialType.TapaFsr, CredentialType.TapaTsr, CredentialType.Iso28000];
        var type = types[(rng.Next(types.Length) + n) % types.Length];
        var stateDraw = rng.NextDouble();
        var state = stateDraw < 0.65 ? VerificationState.Verified : stateDraw < 0.8 ? VerificationState.PendingReview : stateDraw < 0.9 ? VerificationState.Unverified : stateDraw < 0.95 ? VerificationState.NotFoundInRegistry : VerificationState.Rejected;
        var validFrom = now.AddDays(-rng.Next(30, 1000));
        return new Credential
        {
            Id = id,
            SupplierId = supplier.Id,
            Type = type,
            Number = string.Create(CultureInfo.InvariantCulture, $"{supplier.CountryCode}SA{id.GetHashCode() & 0x7FFFFFFF:D10}"),
            Level = type switch { CredentialType.TapaFsr => "ABC"[rng.Next(3)].ToString(), CredentialType.TapaTsr => "123"[rng.Next(3)].ToString(), _ => null },
            Issuer = type == CredentialType.EuAeo ? "Customs authority" : "Certification body",
            ValidFrom = validFrom,
            // Most are in date; some ran out, so coverage is not simply "has one".
            ValidUntil = validFrom.AddDays(rng.NextDouble() < 0.85 ? 1095 : rng.Next(60, 400)),
            VerificationState = state,
            VerifiedAt = state == VerificationState.Verified ? validFrom.AddDays(5) : null,
            VerificationSource = state == VerificationState.Verified ? "demo scale seed" : null,
            SubmittedBy = DemoData.PartnerClientId,
            SubmittedAt = validFrom,
            Version = 1,
        };
    }

    private static int Level(decimal score) => score switch { >= 80 => 5, >= 65 => 4, >= 50 => 3, >= 30 => 2, _ => 1 };

    private static RiskRating Risk(decimal score) => score switch { >= 80 => RiskRating.Low, >= 60 => RiskRating.Medium, >= 40 => RiskRating.High, _ => RiskRating.Critical };

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>A standard normal draw (Box–Muller).</summary>
    private static double Gaussian(Random rng) => Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2.0 * Math.PI * rng.NextDouble());
}
