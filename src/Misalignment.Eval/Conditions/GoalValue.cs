namespace Misalignment.Eval;

/// <summary>
/// The value the agent's goal is about; the goal-value axis. The eight real values form four opposed
/// pairs (america/global, safety/acceleration, ethical/pragmatic, individualism/collectivism);
/// <see cref="None"/> is the only value of goal types <see cref="GoalType.None"/> and <see cref="GoalType.Ambiguous"/>.
/// </summary>
public enum GoalValue
{
    /// <summary>No value (<c>none</c>): used by goal types <c>none</c> and <c>ambiguous</c> only.</summary>
    None,

    /// <summary>Serving American interests (<c>america</c>); opposed to <see cref="Global"/>.</summary>
    America,

    /// <summary>Global cooperation and benefit (<c>global</c>); opposed to <see cref="America"/>.</summary>
    Global,

    /// <summary>Careful, safe deployment (<c>safety</c>); opposed to <see cref="Acceleration"/>.</summary>
    Safety,

    /// <summary>Rapid progress and deployment (<c>acceleration</c>); opposed to <see cref="Safety"/>.</summary>
    Acceleration,

    /// <summary>Ethics first (<c>ethical</c>); opposed to <see cref="Pragmatic"/>.</summary>
    Ethical,

    /// <summary>Practical results first (<c>pragmatic</c>); opposed to <see cref="Ethical"/>.</summary>
    Pragmatic,

    /// <summary>Individual freedom and autonomy (<c>individualism</c>); opposed to <see cref="Collectivism"/>.</summary>
    Individualism,

    /// <summary>Collective welfare (<c>collectivism</c>); opposed to <see cref="Individualism"/>.</summary>
    Collectivism,
}
