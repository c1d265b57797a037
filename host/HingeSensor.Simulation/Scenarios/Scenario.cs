using System.Collections.Generic;
using System.Text.Json.Serialization;
using HingeSensor.Simulation.Body;

namespace HingeSensor.Simulation.Scenarios
{
    /// <summary>A scenario file (JSON, schema in docs/scenario.md): who, how the sensors sit, and what they do.</summary>
    public sealed class Scenario
    {
        [JsonPropertyName("name")] public string Name { get; set; } = "scenario";
        [JsonPropertyName("description")] public string? Description { get; set; }
        [JsonPropertyName("rate_hz")] public double RateHz { get; set; } = 100;
        [JsonPropertyName("seeds")] public List<int> Seeds { get; set; } = new() { 1 };
        [JsonPropertyName("person")] public PersonSpec Person { get; set; } = new();
        [JsonPropertyName("sensors")] public SensorSpec Sensors { get; set; } = new();
        [JsonPropertyName("definitions")] public FaultDefinitions Definitions { get; set; } = new();
        [JsonPropertyName("sequence")] public List<SequenceStep> Sequence { get; set; } = new();
    }

    public sealed class PersonSpec
    {
        [JsonPropertyName("name")] public string Name { get; set; } = "person";
        [JsonPropertyName("height_cm")] public double HeightCm { get; set; } = 175;
        [JsonPropertyName("flexibility")] public double Flexibility { get; set; } = 0.5;
        [JsonPropertyName("pelvis_tilt_deg")] public double PelvisTiltDeg { get; set; } = 10;
        [JsonPropertyName("lumbar_deg")] public double LumbarDeg { get; set; } = -8;
        [JsonPropertyName("lower_thorax_deg")] public double LowerThoraxDeg { get; set; } = 4;
        [JsonPropertyName("upper_thorax_deg")] public double UpperThoraxDeg { get; set; } = 16;
        [JsonPropertyName("neck_deg")] public double NeckDeg { get; set; } = 22;
        [JsonPropertyName("head_deg")] public double HeadDeg { get; set; } = -4;
        [JsonPropertyName("tempo")] public double Tempo { get; set; } = 1.0;

        public Person ToPerson() => new()
        {
            Name = Name, HeightCm = HeightCm, Flexibility = Flexibility, PelvisTiltDeg = PelvisTiltDeg, LumbarDeg = LumbarDeg,
            LowerThoraxDeg = LowerThoraxDeg, UpperThoraxDeg = UpperThoraxDeg, NeckDeg = NeckDeg, HeadDeg = HeadDeg, Tempo = Tempo,
        };
    }

    public sealed class SensorSpec
    {
        /// <summary>"strap" (flat on the back, any in-plane angle, sometimes face-in), "random" (any rotation) or "aligned".</summary>
        [JsonPropertyName("mounting")] public string Mounting { get; set; } = "strap";
        [JsonPropertyName("strap_offset_cm")] public double StrapOffsetCm { get; set; } = 1.5;
        [JsonPropertyName("accel_range_g")] public int AccelRangeG { get; set; } = 8;
        [JsonPropertyName("gyro_range_dps")] public int GyroRangeDps { get; set; } = 1000;
        [JsonPropertyName("dlpf_cfg")] public int DlpfCfg { get; set; } = 3;
        [JsonPropertyName("clock_error_ppm_sd")] public double ClockErrorPpmSd { get; set; } = 2000;
        /// <summary>false: ideal sensors (no noise, bias, scale or clock errors, no quantisation) for physics tests.</summary>
        [JsonPropertyName("imperfect")] public bool Imperfect { get; set; } = true;
    }

    /// <summary>
    /// How the labels define a fault, from the true angles: the product's own definitions
    /// (thresholds over neutral, hinge gate, hysteresis, persistence), kept here as numbers so that
    /// the simulator never calls the detector it is used to judge.
    /// </summary>
    public sealed class FaultDefinitions
    {
        [JsonPropertyName("back_rounding_deg")] public double BackRoundingDeg { get; set; } = 20;
        [JsonPropertyName("chin_drop_deg")] public double ChinDropDeg { get; set; } = 15;
        [JsonPropertyName("head_up_deg")] public double HeadUpDeg { get; set; } = 10;
        [JsonPropertyName("hysteresis_deg")] public double HysteresisDeg { get; set; } = 4;
        [JsonPropertyName("persistence_s")] public double PersistenceS { get; set; } = 0.2;
        [JsonPropertyName("gate_open_torso_deg")] public double GateOpenTorsoDeg { get; set; } = 30;
        [JsonPropertyName("gate_close_torso_deg")] public double GateCloseTorsoDeg { get; set; } = 20;
        [JsonPropertyName("min_rep_depth_deg")] public double MinRepDepthDeg { get; set; } = 45;
        /// <summary>Coached depth: the torso horizontal (90°); reached within the tolerance.</summary>
        [JsonPropertyName("depth_target_deg")] public double DepthTargetDeg { get; set; } = 90;
        [JsonPropertyName("depth_tolerance_deg")] public double DepthToleranceDeg { get; set; } = 10;
        /// <summary>A rep has locked out when the torso ends within this of neutral.</summary>
        [JsonPropertyName("lockout_tolerance_deg")] public double LockoutToleranceDeg { get; set; } = 8;
        /// <summary>A rep ending leaned back more than this is over-extended.</summary>
        [JsonPropertyName("over_extension_deg")] public double OverExtensionDeg { get; set; } = 10;
    }

    /// <summary>One step of the sequence; "do" says which, the other fields are its parameters.</summary>
    public sealed class SequenceStep
    {
        [JsonPropertyName("do")] public string Do { get; set; } = "";
        [JsonPropertyName("duration_s")] public double? DurationS { get; set; }
        [JsonPropertyName("style")] public string? Style { get; set; }
        [JsonPropertyName("reps")] public int? Reps { get; set; }
        [JsonPropertyName("depth_deg")] public double[]? DepthDeg { get; set; }
        [JsonPropertyName("descent_s")] public double[]? DescentS { get; set; }
        [JsonPropertyName("pause_s")] public double[]? PauseS { get; set; }
        [JsonPropertyName("ascent_s")] public double[]? AscentS { get; set; }
        [JsonPropertyName("rest_between_s")] public double[]? RestBetweenS { get; set; }
        [JsonPropertyName("faults")] public Dictionary<string, double>? Faults { get; set; }
        [JsonPropertyName("plan")] public List<string>? Plan { get; set; }
        [JsonPropertyName("speed_mps")] public double? SpeedMps { get; set; }
        [JsonPropertyName("slump")] public bool? Slump { get; set; }
        [JsonPropertyName("phone")] public bool? Phone { get; set; }
        [JsonPropertyName("count")] public int? Count { get; set; }
        /// <summary>Squat depth: "deep" (thighs past horizontal) or "half".</summary>
        [JsonPropertyName("depth")] public string? Depth { get; set; }
        /// <summary>Squat load: "bodyweight" or "loaded" (a bar on the back: more forward lean, slower).</summary>
        [JsonPropertyName("load")] public string? Load { get; set; }
        /// <summary>Borderline reps: offsets (degrees, used in turn) of each faulted rep's true peak from its threshold.</summary>
        [JsonPropertyName("borderline_deg")] public double[]? BorderlineDeg { get; set; }
        /// <summary>How each rep finishes, used in turn: ok, incomplete, over_extension.</summary>
        [JsonPropertyName("lockouts")] public List<string>? Lockouts { get; set; }
    }
}
