using System.Device.Adc;
using System.Device.Gpio;
using HingeSensor.Nano.Core.Device;

namespace HingeSensor.Nano.Hardware
{
    /// <summary>
    /// The LiPo as the core's <see cref="IBattery"/>: its voltage through a 100 k / 100 k divider
    /// on an ADC1 pin (ADC2 cannot be read while the radio is on), and the charger's open-drain
    /// status pin (TP4056 CHRG, low while charging). State of charge is the core's (LiPo.Percent).
    /// </summary>
    public sealed class BatteryMonitor : IBattery
    {
        /// <summary>VBAT = Vpin × (100 k + 100 k) / 100 k. 4.2 V → 2.1 V at the pin.</summary>
        public const float DividerRatio = 2.0f;

        /// <summary>
        /// nanoFramework opens ESP32 ADC1 channels at 12 dB attenuation (ADC_ATTEN_DB_12, 12-bit)
        /// and returns raw counts with no calibration applied. ESP-IDF's linear characteristic for
        /// that attenuation (esp_adc_cal_esp32.c: coefficient 196602/65536 × Vref/4096, offset
        /// 142 mV) turns them into millivolts; it holds below ~2880 counts, and a divided LiPo
        /// stays below ~2450. Vref is 1100 mV nominal but 1000-1200 mV per chip: trim it per unit
        /// (measure VBAT with a meter once, see hardware/README.md).
        /// </summary>
        private const float CountsToMvPerVref = 196602f / 65536f / 4096f;
        private const float OffsetMv = 142f;

        /// <summary>Readings averaged per update: the divider's 50 kΩ source and ADC noise scatter single reads by tens of mV.</summary>
        private const int Average = 16;

        /// <summary>The voltage is re-read at most this often; the core asks on every status build.</summary>
        private const long RefreshUs = 2000000;

        private readonly AdcChannel _adc;
        private readonly GpioPin _chargeStatus;
        private readonly float _mvPerCount;
        private readonly object _lock = new object();
        private long _nextReadUs;
        private int _millivolts;

        /// <param name="adcChannel">nanoFramework ADC channel: ADC1 channel n is 0-7 (GPIO34 = 6).</param>
        /// <param name="chargeStatusPin">GPIO wired to the charger's CHRG pin (external pull-up to 3V3).</param>
        /// <param name="vrefMillivolts">This unit's ADC reference, 1100 nominal.</param>
        public BatteryMonitor(int adcChannel, GpioController gpio, int chargeStatusPin, int vrefMillivolts)
        {
            _adc = new AdcController().OpenChannel(adcChannel);
            // GPIO34-39 have no internal pull resistors: the pull-up is on the board.
            _chargeStatus = gpio.OpenPin(chargeStatusPin, PinMode.Input);
            _mvPerCount = vrefMillivolts * CountsToMvPerVref;
        }

        public int Millivolts
        {
            get
            {
                // Called from the main loop and from the BLE read handler: one reader at a time.
                lock (_lock)
                {
                    long now = HighResClock.NowUs;
                    if (now >= _nextReadUs)
                    {
                        _nextReadUs = now + RefreshUs;
                        int sum = 0;
                        for (int i = 0; i < Average; i++) sum += _adc.ReadValue();
                        float pinMv = OffsetMv + _mvPerCount * sum / Average;
                        _millivolts = (int)(pinMv * DividerRatio);
                    }
                    return _millivolts;
                }
            }
        }

        public bool Charging { get { return _chargeStatus.Read() == PinValue.Low; } }
    }
}
