import { describeModel } from '../../support/model/driver.js';
import { supervisionNoticeModel } from '../../support/model/supervision-notice.model.js';

describeModel(supervisionNoticeModel);
