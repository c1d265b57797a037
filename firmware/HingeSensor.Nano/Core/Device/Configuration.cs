using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Nano.Core.Device
{
    /// <summary>
    /// The config in force: loaded at boot, written and reset by the host, validated by its
    /// record (<see cref="DeviceConfig.Decode"/>), kept on flash, and put in force in the pipeline's
    /// settings (read by the tracker at every sample) and the motor. It also turns the config's stream rates into
    /// reports per frame, from the rate the tracker actually reports at.
    /// </summary>
    public sealed class Configuration : IConfiguration
    {
        private readonly DeviceConfig _config = new DeviceConfig();
        private readonly ConfigStore _store;
        private readonly TrackerSettings _settings;
        private readonly AlertHaptics _alerts;
        private readonly int _reportRateHz;

        /// <param name="imuRateHz">The lockstep sample rate (<see cref="Imu.ImuSettings.RateHz"/>).</param>
        public Configuration(ConfigStore store, TrackerSettings settings, AlertHaptics alerts, int imuRateHz)
        {
            _store = store;
            _settings = settings;
            _alerts = alerts;
            _reportRateHz = ReportRateHz(imuRateHz, _settings.ReportIntervalS);
        }

        /// <summary>The config in force (change it through <see cref="Write"/> and <see cref="Reset"/>).</summary>
        public DeviceConfig Current { get { return _config; } }

        public ConfigStore Store { get { return _store; } }

        /// <summary>
        /// Tracker reports per live frame at the configured live rate. A field, kept with the
        /// config: the per-sample path reads it at every report.
        /// </summary>
        public int LiveEvery = 1;

        /// <summary>Loads the config from flash (the defaults when there is none or it is damaged) and puts it in force.</summary>
        public void Load()
        {
            _store.Load(_config);
            Apply();
        }

        public ResultCode Write(byte[] record, int offset, int count, out ConfigField bad)
        {
            bad = DeviceConfig.Decode(record, offset, count, _config);
            if (bad != ConfigField.None) return ResultCode.InvalidParameter;
            return SaveAndApply();
        }

        public ResultCode Reset()
        {
            _config.CopyFrom(new DeviceConfig());
            return SaveAndApply();
        }

        /// <summary>
        /// Tracker reports per frame of a stream at <paramref name="rateHz"/> (the config's rates
        /// divide the report rate; a rate above it gets every report).
        /// </summary>
        public int ReportsPer(int rateHz)
        {
            int n = _reportRateHz / rateHz;
            return n < 1 ? 1 : n;
        }

        /// <summary>How often the tracker completes its metrics for reporting, Hz: what recording and live frames are cut from.</summary>
        public int ReportRate { get { return _reportRateHz; } }

        /// <summary>
        /// Reports a second: the tracker reports at the first sample at least
        /// <paramref name="reportIntervalS"/> after the last report (every sample for 0), and
        /// samples come at <paramref name="imuRateHz"/> — 25 Hz for 100 Hz and 40 ms.
        /// </summary>
        public static int ReportRateHz(int imuRateHz, float reportIntervalS)
        {
            long periodUs = 1000000 / imuRateHz;
            long intervalUs = (long)(reportIntervalS * 1e6f + 0.5f);
            long samplesPerReport = (intervalUs + periodUs - 1) / periodUs;
            return samplesPerReport <= 1 ? imuRateHz : (int)(imuRateHz / samplesPerReport);
        }

        private ResultCode SaveAndApply()
        {
            bool saved = _store.Save(_config);
            Apply();
            return saved ? ResultCode.Success : ResultCode.InternalError;
        }

        private void Apply()
        {
            _config.ApplyTo(_settings);
            _alerts.Configure(_config);
            LiveEvery = ReportsPer(_config.LiveRateHz);
        }
    }
}
