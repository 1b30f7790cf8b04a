namespace Misalignment.Eval.Running;

/// <summary>Binds the sections <c>concurrency</c>, <c>rate_limits</c>, <c>alignment_faking</c>, <c>classification</c> and <c>execution</c>.</summary>
internal static class SectionBinders
{
    /// <summary>The largest number of calls in flight that a limit may name.</summary>
    private const int MaxConcurrency = 100_000;

    public static string? AlignmentFaking(ConfigBinder b, ConfigNode node)
    {
        bool enabled = false;
        string? text = null;
        b.Each(node, new Dictionary<string, Action<ConfigNode>>
        {
            ["enabled"] = n => enabled = ConfigBinder.Bool(n),
            ["warning_text"] = n => text = ConfigBinder.String(n),
            ["warning_type"] = n => ConfigBinder.String(n),
        });
        return !enabled ? null : string.IsNullOrWhiteSpace(text)
            ? throw node.Error("is enabled but has no 'warning_text'.")
            : text;
    }

    public static ConcurrencySpec Concurrency(ConfigBinder b, ConfigNode node)
    {
        var spec = new ConcurrencySpec();
        b.Each(node, new Dictionary<string, Action<ConfigNode>>
        {
            ["providers"] = n => spec = spec with { Providers = ConfigBinder.Map(n, v => ConfigBinder.Int(v, 1, MaxConcurrency)) },
            ["models"] = n => spec = spec with { Models = ConfigBinder.Map(n, v => ConfigBinder.Int(v, 1, MaxConcurrency)) },
        });
        return spec;
    }

    public static RateLimitSpec RateLimits(ConfigBinder b, ConfigNode node)
    {
        var spec = new RateLimitSpec();
        var models = new Dictionary<string, RateLimit>(StringComparer.Ordinal);
        b.Each(node, new Dictionary<string, Action<ConfigNode>>
        {
            ["providers"] = n => spec = spec with { Providers = ConfigBinder.Map(n, v => Limit(b, v, pool: false)) },
            ["models"] = n => Merge(models, ConfigBinder.Map(n, v => Limit(b, v, pool: false))),
            ["model_overrides"] = n => Merge(models, ConfigBinder.Map(n, v => Limit(b, v, pool: false))),
            ["pools"] = n => spec = spec with { Pools = ConfigBinder.Map(n, v => Limit(b, v, pool: true)) },
            ["default"] = n => spec = spec with { Default = n.IsNull ? null : Limit(b, n, pool: false) },
        });
        return spec with { Models = models };
    }

    public static ClassificationSpec Classification(ConfigBinder b, ConfigNode node)
    {
        var spec = new ClassificationSpec();
        b.Each(node, new Dictionary<string, Action<ConfigNode>>
        {
            ["enabled"] = n => spec = spec with { Enabled = ConfigBinder.Bool(n) },
            ["classifier_model"] = n => spec = spec with { ClassifierModel = n.IsNull ? null : ConfigBinder.ModelName(n) },
            ["concurrency"] = n => spec = spec with { Concurrency = n.IsNull ? null : ConfigBinder.Int(n, 1, MaxConcurrency) },
            ["models"] = n => spec = spec with { Models = ConfigBinder.Map(n, v => ConfigBinder.RequiredString(v)) },
        });
        return spec;
    }

    public static ExecutionSpec Execution(ConfigBinder b, ConfigNode node)
    {
        var spec = new ExecutionSpec();
        b.Each(node, new Dictionary<string, Action<ConfigNode>>
        {
            ["resume_interrupted"] = n => spec = spec with { ResumeInterrupted = ConfigBinder.Bool(n) },
            ["timeout_seconds"] = n => spec = spec with { TimeoutSeconds = n.IsNull ? null : ConfigBinder.Double(n, 1, ConfigLimits.MaxTimeoutSeconds) },
            ["retries"] = n => spec = spec with { Retries = n.IsNull ? null : ConfigBinder.Int(n, 0, ConfigLimits.MaxRetries) },
            ["checkpoint_frequency"] = n => spec = spec with { CheckpointFrequency = n.IsNull ? null : ConfigBinder.Int(n, 1) },
            ["batch"] = n => spec = spec with { Batch = ConfigBinder.Bool(n) },
            ["batch_judge"] = n => spec = spec with { BatchJudge = ConfigBinder.Bool(n) },
            ["batch_size"] = n => spec = spec with { BatchSize = n.IsNull ? null : ConfigBinder.Int(n, 1, BatchSettings.MaxSize) },
            ["batch_poll_seconds"] = n => spec = spec with { BatchPollSeconds = n.IsNull ? null : ConfigBinder.Double(n, ConfigLimits.MinBatchPollSeconds, ConfigLimits.MaxBatchPollSeconds) },
            ["batch_idle_seconds"] = n => spec = spec with { BatchIdleSeconds = n.IsNull ? null : ConfigBinder.Double(n, 0, ConfigLimits.MaxBatchIdleSeconds) },
            ["batch_deadline_hours"] = n => spec = spec with { BatchDeadlineHours = n.IsNull ? null : ConfigBinder.Double(n, ConfigLimits.MinBatchDeadlineHours, BatchSettings.MaxDeadlineHours) },
            ["prompt_cache"] = n => spec = spec with { PromptCache = ConfigBinder.Bool(n) },
            ["adaptive_rate_limits"] = n => spec = spec with { AdaptiveRateLimits = ConfigBinder.Bool(n) },
        });
        return spec;
    }

    private static void Merge(Dictionary<string, RateLimit> into, Dictionary<string, RateLimit> from)
    {
        foreach (var pair in from)
        {
            into[pair.Key] = pair.Value;
        }
    }

    /// <summary>A limit: a number (requests per minute), or a mapping of rpm/tpm (and, for a pool, its model patterns).</summary>
    private static RateLimit Limit(ConfigBinder b, ConfigNode node, bool pool)
    {
        if (node is ConfigScalar && !node.IsNull)
        {
            return pool
                ? throw node.Error("a pool is a mapping with 'rpm' (or 'tpm') and 'models' (name patterns such as \"gpt-*\").")
                : new RateLimit { RequestsPerMinute = ConfigBinder.Int(node, 1) };
        }

        var limit = new RateLimit();
        var handlers = new Dictionary<string, Action<ConfigNode>>
        {
            ["rpm"] = n => limit = limit with { RequestsPerMinute = ConfigBinder.Int(n, 1) },
            ["requests_per_minute"] = n => limit = limit with { RequestsPerMinute = ConfigBinder.Int(n, 1) },
            ["tpm"] = n => limit = limit with { TokensPerMinute = ConfigBinder.Int(n, 1) },
            ["tokens_per_minute"] = n => limit = limit with { TokensPerMinute = ConfigBinder.Int(n, 1) },
        };
        if (pool)
        {
            handlers["models"] = n => limit = limit with { Models = ConfigBinder.StringList(n) };
        }

        b.Each(node, handlers);
        return limit;
    }
}
